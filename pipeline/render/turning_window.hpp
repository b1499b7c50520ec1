#pragma once

#include <vtkXOpenGLRenderWindow.h>

namespace foci {

/// The inspector's X window. VTK ends every frame with four full-window copies: the picture
/// and its depth from the render framebuffer into a display framebuffer, that depth drawn
/// by a shader into the window's depth buffer, then the picture into the window. On a
/// software renderer each costs about as much as a small turning scene. A turning frame
/// needs none of them: ReducedResolutionPass scales its picture up straight into the
/// window's back buffer, and this window then only swaps the buffers. Still frames end as
/// VTK ends them. While turning, the render framebuffer (what a window grab reads) keeps
/// the last still picture.
class TurningWindow : public vtkXOpenGLRenderWindow {
 public:
  static TurningWindow* New();
  vtkTypeMacro(TurningWindow, vtkXOpenGLRenderWindow)

  void set_turning(bool turning) { turning_ = turning; }
  void Frame() override;

 protected:
  TurningWindow() = default;
  ~TurningWindow() override = default;

 private:
  TurningWindow(const TurningWindow&) = delete;
  void operator=(const TurningWindow&) = delete;

  bool turning_ = false;
};

}  // namespace foci
