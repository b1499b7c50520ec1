#include "render/turning_window.hpp"

// GLEW's header first: it stands in for GL/gl.h, which GL/glx.h would otherwise include.
#include <vtk_glew.h>
#include <GL/glx.h>
#include <vtkObjectFactory.h>

namespace foci {

vtkStandardNewMacro(TurningWindow);

void TurningWindow::Frame() {
  if (!turning_ || !SwapBuffers) {
    Superclass::Frame();
    return;
  }
  // The turning pass drew into the back buffer itself.
  MakeCurrent();
  if (!AbortRender && DoubleBuffer && WindowId != 0) glXSwapBuffers(DisplayId, WindowId);
}

}  // namespace foci
