#include "call_scope.hpp"

#include <pythread.h>

namespace py = pybind11;

namespace fastreg::bindings {

namespace {
unsigned long main_thread_ident = 0;
}  // namespace

bool poll_python_signals(void*) {
    py::gil_scoped_acquire gil;
    return PyErr_CheckSignals() != 0;
}

bool on_python_main_thread() { return PyThread_get_thread_ident() == main_thread_ident; }

void register_interrupt(py::module_&) {
    main_thread_ident = py::module_::import("threading").attr("main_thread")().attr("ident").cast<unsigned long>();
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const fastreg::Interrupted&) {
            if (!PyErr_Occurred()) PyErr_SetNone(PyExc_KeyboardInterrupt);
        }
    });
}

}  // namespace fastreg::bindings
