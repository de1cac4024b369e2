// fastreg._core: one extension module; each area registers its functions from its own file.
#include <pybind11/pybind11.h>

namespace py = pybind11;

namespace fastreg::bindings {
void register_info(py::module_& m);
void register_prox(py::module_& m);
void register_dropout(py::module_& m);
void register_cd(py::module_& m);
void register_genotype(py::module_& m);
void register_gram(py::module_& m);
void register_logistic(py::module_& m);
void register_interrupt(py::module_& m);
}  // namespace fastreg::bindings

PYBIND11_MODULE(_core, m) {
    m.doc() = "fastreg's C++ core. Use the functions of the fastreg package, which validate input.";
    fastreg::bindings::register_interrupt(m);
    fastreg::bindings::register_info(m);
    fastreg::bindings::register_prox(m);
    fastreg::bindings::register_dropout(m);
    fastreg::bindings::register_cd(m);
    fastreg::bindings::register_genotype(m);
    fastreg::bindings::register_gram(m);
    fastreg::bindings::register_logistic(m);
}
