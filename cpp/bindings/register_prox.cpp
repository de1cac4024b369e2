// soft_threshold and enet_prox. Python has broadcast the parameters to x's shape (zero
// strides for scalars) and chosen dtypes; this checks shapes and hands pointers over.
#include "arrays.hpp"
#include "fastreg/kernels.hpp"

namespace fastreg::bindings {

namespace {

template <class T>
using arr = py::array_t<T, 0>;  // any strides; with noconvert() the dtype must match exactly

template <class T>
void bind_prox(py::module_& m) {
    m.def("soft_threshold",
          [](arr<T> x, arr<T> t, arr<T> out) {
              NdLayout<3> L;
              add_operand(L, 0, x, "x");
              add_operand(L, 1, out, "out");
              add_operand(L, 2, t, "threshold");
              require_writeable(out, "out");
              const T* xp = x.data();
              const T* tp = t.data();
              T* op = out.mutable_data();
              py::gil_scoped_release nogil;
              soft_threshold<T>(L, xp, op, tp);
          },
          py::arg("x").noconvert(), py::arg("threshold").noconvert(), py::arg("out").noconvert());
    m.def("enet_prox",
          [](arr<T> x, arr<T> l1, arr<T> l2, arr<T> out) {
              NdLayout<4> L;
              add_operand(L, 0, x, "x");
              add_operand(L, 1, out, "out");
              add_operand(L, 2, l1, "l1");
              add_operand(L, 3, l2, "l2");
              require_writeable(out, "out");
              const T* xp = x.data();
              const T* ap = l1.data();
              const T* bp = l2.data();
              T* op = out.mutable_data();
              py::gil_scoped_release nogil;
              enet_prox<T>(L, xp, op, ap, bp);
          },
          py::arg("x").noconvert(), py::arg("l1").noconvert(), py::arg("l2").noconvert(),
          py::arg("out").noconvert());
}

}  // namespace

void register_prox(py::module_& m) {
    bind_prox<float>(m);
    bind_prox<double>(m);
}

}  // namespace fastreg::bindings
