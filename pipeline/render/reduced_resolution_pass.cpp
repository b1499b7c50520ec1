#include "render/reduced_resolution_pass.hpp"

#include <vtkObjectFactory.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLRenderWindow.h>
#include <vtkOpenGLState.h>
#include <vtkOverlayPass.h>
#include <vtkRenderState.h>
#include <vtkRenderStepsPass.h>
#include <vtkRenderer.h>
#include <vtkTextureObject.h>
#include <vtk_glew.h>

#include <algorithm>
#include <cmath>

namespace foci {

vtkStandardNewMacro(ReducedResolutionPass);

ReducedResolutionPass::ReducedResolutionPass()
    : scene_(vtkSmartPointer<vtkRenderStepsPass>::New()),
      overlay_(vtkSmartPointer<vtkOverlayPass>::New()) {
  // The 2D actors are drawn after the scaling, sharp.
  scene_->SetOverlayPass(nullptr);
}

ReducedResolutionPass::~ReducedResolutionPass() = default;

void ReducedResolutionPass::set_scale(double scale) {
  scale_ = std::clamp(scale, 0.05, 1.0);
  Modified();
}

void ReducedResolutionPass::Render(const vtkRenderState* state) {
  NumberOfRenderedProps = 0;
  vtkRenderer* renderer = state->GetRenderer();
  auto* window = static_cast<vtkOpenGLRenderWindow*>(renderer->GetRenderWindow());
  vtkOpenGLState* gl = window->GetState();
  int width = 0, height = 0, x = 0, y = 0;
  renderer->GetTiledSizeAndOrigin(&width, &height, &x, &y);
  const int small_width = std::max(1, static_cast<int>(std::lround(width * scale_)));
  const int small_height = std::max(1, static_cast<int>(std::lround(height * scale_)));

  if (!colour_) {
    colour_ = vtkSmartPointer<vtkTextureObject>::New();
    depth_ = vtkSmartPointer<vtkTextureObject>::New();
    framebuffer_ = vtkSmartPointer<vtkOpenGLFramebufferObject>::New();
  }
  colour_->SetContext(window);
  if (!colour_->GetHandle()) colour_->Create2D(small_width, small_height, 4, VTK_UNSIGNED_CHAR, false);
  colour_->Resize(small_width, small_height);
  depth_->SetContext(window);
  if (!depth_->GetHandle()) depth_->AllocateDepth(small_width, small_height, vtkTextureObject::Float32);
  depth_->Resize(small_width, small_height);
  framebuffer_->SetContext(window);

  // The scene into the small image.
  framebuffer_->SaveCurrentBindingsAndBuffers();
  framebuffer_->Bind();
  framebuffer_->AddColorAttachment(0, colour_);
  framebuffer_->ActivateDrawBuffer(0);
  framebuffer_->AddDepthAttachment(depth_);
  framebuffer_->StartNonOrtho(small_width, small_height);
  gl->vtkglViewport(0, 0, small_width, small_height);
  gl->vtkglScissor(0, 0, small_width, small_height);
  gl->vtkglEnable(GL_DEPTH_TEST);
  vtkRenderState inner(renderer);
  inner.SetPropArrayAndCount(state->GetPropArray(), state->GetPropArrayCount());
  inner.SetFrameBuffer(framebuffer_);
  scene_->Render(&inner);
  NumberOfRenderedProps += scene_->GetNumberOfRenderedProps();
  framebuffer_->RestorePreviousBindingsAndBuffers();

  // Scaled up, smoothed, straight into the window's back buffer, and the 2D props drawn
  // there too: the window's render framebuffer is left as it was, and TurningWindow swaps
  // the buffers without copying it (a full-window copy costs as much as the small scene).
  gl->PushFramebufferBindings();
  framebuffer_->Bind(vtkOpenGLFramebufferObject::GetReadMode());
  framebuffer_->ActivateReadBuffer(0);
  gl->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  gl->vtkglDrawBuffer(window->GetDoubleBuffer() ? GL_BACK_LEFT : GL_FRONT_LEFT);
  gl->vtkglViewport(x, y, width, height);
  gl->vtkglScissor(x, y, width, height);
  glBlitFramebuffer(0, 0, small_width, small_height, x, y, x + width, y + height,
                    GL_COLOR_BUFFER_BIT, GL_LINEAR);
  overlay_->Render(state);
  NumberOfRenderedProps += overlay_->GetNumberOfRenderedProps();
  gl->PopFramebufferBindings();
}

void ReducedResolutionPass::ReleaseGraphicsResources(vtkWindow* window) {
  scene_->ReleaseGraphicsResources(window);
  overlay_->ReleaseGraphicsResources(window);
  if (colour_) colour_->ReleaseGraphicsResources(window);
  if (depth_) depth_->ReleaseGraphicsResources(window);
  framebuffer_ = nullptr;
}

}  // namespace foci
