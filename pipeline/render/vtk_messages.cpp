#include "render/vtk_messages.hpp"

#include <vtkObjectFactory.h>

namespace foci {

vtkStandardNewMacro(CapturingOutputWindow);

ScopedVtkMessages::ScopedVtkMessages()
    : window_(vtkSmartPointer<CapturingOutputWindow>::New()),
      previous_(vtkOutputWindow::GetInstance()) {
  vtkOutputWindow::SetInstance(window_);
}

ScopedVtkMessages::~ScopedVtkMessages() { vtkOutputWindow::SetInstance(previous_); }

}  // namespace foci
