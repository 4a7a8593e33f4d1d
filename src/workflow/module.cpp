// The workflow module as the program is built from it (platform/module/module.h): pure rules
// (state machines, the working calendar, tracking numbers) with the default workflow's wording.
#include "platform/module/module.h"

#include "workflow/workflow.h"

std::span<const baladiya::EmbeddedFile> WorkflowMessageFiles();

namespace baladiya::workflow {

module::Module Module() {
  module::Module m;
  m.name = "workflow";
  m.messages = WorkflowMessageFiles;
  return m;
}

}  // namespace baladiya::workflow
