#pragma once

#include <vtkRenderPass.h>
#include <vtkSmartPointer.h>

class vtkOpenGLFramebufferObject;
class vtkOverlayPass;
class vtkRenderStepsPass;
class vtkTextureObject;

namespace foci {

/// Draws the 3D scene into an off-screen image a fraction of the viewport's size and scales
/// it up into the window's back buffer, then draws the 2D text and boxes there at full
/// resolution (the window must be a TurningWindow set turning: it swaps that back buffer
/// in). A software renderer's frame costs about its pixel count, so a camera being dragged
/// is drawn this way and the still picture the usual way. Translucent things are blended in
/// one pass, without order-independent transparency: while the camera moves, speed matters
/// more than exactness.
class ReducedResolutionPass : public vtkRenderPass {
 public:
  static ReducedResolutionPass* New();
  vtkTypeMacro(ReducedResolutionPass, vtkRenderPass)

  /// The scaled image's width and height as a fraction of the viewport's (0, 1].
  void set_scale(double scale);
  double scale() const { return scale_; }

  void Render(const vtkRenderState* state) override;
  void ReleaseGraphicsResources(vtkWindow* window) override;

 protected:
  ReducedResolutionPass();
  ~ReducedResolutionPass() override;

 private:
  ReducedResolutionPass(const ReducedResolutionPass&) = delete;
  void operator=(const ReducedResolutionPass&) = delete;

  double scale_ = 0.5;
  vtkSmartPointer<vtkRenderStepsPass> scene_;
  vtkSmartPointer<vtkOverlayPass> overlay_;
  vtkSmartPointer<vtkOpenGLFramebufferObject> framebuffer_;
  vtkSmartPointer<vtkTextureObject> colour_, depth_;
};

}  // namespace foci
