#include "render/turning_window.hpp"

// GLEW's header first: it stands in for GL/gl.h, which GL/glx.h would otherwise include.
#include <vtk_glew.h>
#include <GL/glx.h>
#include <vtkObjectFactory.h>
#include <vtkOpenGLFramebufferObject.h>
#include <vtkOpenGLState.h>

namespace foci {

vtkStandardNewMacro(TurningWindow);

void TurningWindow::Frame() {
  if (!turning_ || !SwapBuffers) {
    Superclass::Frame();
    return;
  }
  MakeCurrent();
  vtkOpenGLState* gl = GetState();
  gl->PushFramebufferBindings();
  gl->vtkglViewport(0, 0, Size[0], Size[1]);
  gl->vtkglScissor(0, 0, Size[0], Size[1]);
  RenderFramebuffer->Bind(GL_READ_FRAMEBUFFER);
  RenderFramebuffer->ActivateReadBuffer(0);
  gl->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  gl->vtkglDrawBuffer(DoubleBuffer ? GL_BACK_LEFT : GL_FRONT_LEFT);
  gl->vtkglBlitFramebuffer(0, 0, Size[0], Size[1], 0, 0, Size[0], Size[1], GL_COLOR_BUFFER_BIT,
                           GL_NEAREST);
  gl->PopFramebufferBindings();
  if (!AbortRender && DoubleBuffer && WindowId != 0) glXSwapBuffers(DisplayId, WindowId);
}

}  // namespace foci
