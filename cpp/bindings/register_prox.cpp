// soft_threshold and enet_prox. Python has chosen dtypes and broadcast array parameters
// to x's shape; scalars come as plain floats (broadcasting them in NumPy would cost more
// than the whole kernel on a small array). This checks shapes and hands pointers over.
#include "arrays.hpp"
#include "fastreg/kernels.hpp"

#include <variant>

namespace fastreg::bindings {

namespace {

template <class T>
using arr = py::array_t<T, 0>;  // any strides; with noconvert() the dtype must match exactly

// A parameter: one value for every element, or an array of x's shape.
template <class T>
using param = std::variant<double, arr<T>>;

// Makes the parameter operand k of the layout: an array with its strides, or a scalar
// (stored in `value`) with all-zero strides. Returns the operand's data.
template <int K, class T>
const T* add_param(NdLayout<K>& L, int k, const param<T>& p, T& value, const char* name) {
    if (const auto* a = std::get_if<arr<T>>(&p)) {
        add_operand(L, k, *a, name);
        return a->data();
    }
    value = T(std::get<double>(p));
    add_absent(L, k);
    return &value;
}

template <class T>
void bind_prox(py::module_& m) {
    m.def("soft_threshold",
          [](arr<T> x, param<T> t, arr<T> out) {
              NdLayout<3> L;
              add_operand(L, 0, x, "x");
              add_operand(L, 1, out, "out");
              T tv;
              const T* tp = add_param(L, 2, t, tv, "threshold");
              require_writeable(out, "out");
              const T* xp = x.data();
              T* op = out.mutable_data();
              py::gil_scoped_release nogil;
              soft_threshold<T>(L, xp, op, tp);
          },
          py::arg("x").noconvert(), py::arg("threshold").noconvert(), py::arg("out").noconvert());
    m.def("enet_prox",
          [](arr<T> x, param<T> l1, param<T> l2, arr<T> out) {
              NdLayout<4> L;
              add_operand(L, 0, x, "x");
              add_operand(L, 1, out, "out");
              T av, bv;
              const T* ap = add_param(L, 2, l1, av, "l1");
              const T* bp = add_param(L, 3, l2, bv, "l2");
              require_writeable(out, "out");
              const T* xp = x.data();
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
