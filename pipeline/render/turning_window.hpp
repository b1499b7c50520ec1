#pragma once

#include <vtkXOpenGLRenderWindow.h>

namespace foci {

/// The inspector's X window. VTK ends every frame with four full-window copies: the picture
/// and its depth from the render framebuffer into a display framebuffer, that depth drawn
/// by a shader into the window's depth buffer, then the picture into the window. On a
/// software renderer these cost as much as a small turning scene itself, and nothing of
/// ours reads either depth copy or the display framebuffer while the camera turns. So a
/// turning frame copies only the picture, straight from the render framebuffer into the
/// window's back buffer, before the buffers are swapped; still frames end as VTK ends them
/// (the display framebuffer then holds the last still picture again).
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
