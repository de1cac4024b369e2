// A long call's stop source (fastreg/interrupt.hpp): made on the calling thread while it
// holds the GIL, before the GIL is released; its poll asks Python for a pending signal.
#ifndef FASTREG_BINDINGS_CALL_SCOPE_HPP
#define FASTREG_BINDINGS_CALL_SCOPE_HPP

#include "fastreg/interrupt.hpp"

#include <pybind11/pybind11.h>

namespace fastreg::bindings {

// Runs the Python signal handlers (a Ctrl-C raises KeyboardInterrupt there); true when one
// raised, the exception then pending in this thread until the call returns to Python.
bool poll_python_signals(void*);
// Whether the calling thread is Python's main thread, the only one that runs handlers.
bool on_python_main_thread();

struct CallScope {
    StopSource source{on_python_main_thread() ? &poll_python_signals : nullptr, nullptr};
    stop::Bind bind{&source};
};

// Registers the translation of fastreg::Interrupted (the exception the poll left pending).
void register_interrupt(pybind11::module_& m);

}  // namespace fastreg::bindings

#endif  // FASTREG_BINDINGS_CALL_SCOPE_HPP
