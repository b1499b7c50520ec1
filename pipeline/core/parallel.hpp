#pragma once
// Work shared among the cores: a count of independent parts, claimed in order by up to one
// thread per core (the calling one included).
#include <cstddef>
#include <functional>

namespace foci {

/// Calls work(part) once for every part in [0, parts), on up to one thread per core, this one
/// among them, and returns when all are done. When no more threads can be started (a process
/// limit), the threads there are do the rest. A part that throws does not stop the others;
/// the exception of the first such part (in part order) is rethrown once all are done.
void for_each_part_on_cores(std::size_t parts, const std::function<void(std::size_t)>& work);

}  // namespace foci
