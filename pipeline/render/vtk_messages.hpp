#pragma once
// VTK's messages kept off stderr: while a ScopedVtkMessages lives, VTK's errors are collected
// instead of printed, so the caller can turn them into one foci error, or into a quiet
// rebuild (a damaged cached mesh). Only main() prints. Internal to the render stage.
#include <vtkOutputWindow.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

namespace foci {

class CapturingOutputWindow : public vtkOutputWindow {
 public:
  static CapturingOutputWindow* New();
  void DisplayErrorText(const char* text) override { errors.emplace_back(text); }
  void DisplayWarningText(const char*) override {}
  void DisplayGenericWarningText(const char*) override {}
  void DisplayDebugText(const char*) override {}
  void DisplayText(const char*) override {}
  std::vector<std::string> errors;
  // The macro takes no semicolon (it would be an empty declaration).
  vtkTypeMacro(CapturingOutputWindow, vtkOutputWindow)
};

/// Collects VTK's messages for as long as it lives, then puts back the window before it.
class ScopedVtkMessages {
 public:
  ScopedVtkMessages();
  ~ScopedVtkMessages();
  ScopedVtkMessages(const ScopedVtkMessages&) = delete;
  ScopedVtkMessages& operator=(const ScopedVtkMessages&) = delete;
  const std::vector<std::string>& errors() const { return window_->errors; }

 private:
  vtkSmartPointer<CapturingOutputWindow> window_;
  vtkSmartPointer<vtkOutputWindow> previous_;
};

}  // namespace foci
