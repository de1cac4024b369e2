// soft_threshold and enet_prox, twice: the fast entry points take the common case straight
// from Python (fast_path.hpp) and answer None for anything else; the general ones get
// arguments Python has validated, with dtypes chosen and array parameters broadcast to x's
// shape (scalars as plain floats), and check shapes and hand pointers over.
#include "call_scope.hpp"
#include "arrays.hpp"
#include "fast_path.hpp"
#include "fastreg/kernels.hpp"

#include <chrono>
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
              CallScope stop;  // (Ctrl-C on huge arrays)
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
              CallScope stop;  // (Ctrl-C on huge arrays)
              py::gil_scoped_release nogil;
              enet_prox<T>(L, xp, op, ap, bp);
          },
          py::arg("x").noconvert(), py::arg("l1").noconvert(), py::arg("l2").noconvert(),
          py::arg("out").noconvert());
}

// One contiguous run of n elements, as the kernels' layout.
template <int K>
NdLayout<K> flat_layout(index_t n, const int (&strides)[K]) {
    NdLayout<K> L;
    L.ndim = 1;
    L.shape[0] = n;
    for (int k = 0; k < K; ++k) L.strides[k][0] = strides[k];
    return L;
}

// The common case's result array (out itself, or a new one like x) and its data; a null
// object when the call is not the common case.
struct FastOutput {
    py::object array;
    char* data = nullptr;
};

FastOutput fast_output(py::handle out, const fast::Array& x, fast::Array& o) {
    bool given = false;
    if (!fast::output_for(out.ptr(), x, o, given)) return {};
    FastOutput r;
    r.array = given ? py::reinterpret_borrow<py::object>(out) : py::reinterpret_steal<py::object>(fast::new_like(x));
    if (!r.array) throw py::error_already_set();
    r.data = py::detail::array_proxy(r.array.ptr())->data;
    return r;
}

py::object soft_threshold_fast(py::handle x, py::handle threshold, py::handle out) {
    fast::Array xa, oa;
    double t;
    if (!fast::float_input(x.ptr(), xa, false) || !fast::scalar_param(threshold.ptr(), t)) return py::none();
    FastOutput y = fast_output(out, xa, oa);
    if (!y.array) return py::none();
    const auto L = flat_layout<3>(xa.size, {1, 1, 0});
    fast::MaybeNoGil nogil(xa.size >= fast::NOGIL_FROM);
    if (xa.type_num == fast::npy::NPY_DOUBLE_) {
        const double tv = t;
        soft_threshold<double>(L, reinterpret_cast<const double*>(xa.data), reinterpret_cast<double*>(y.data), &tv);
    } else {
        const float tv = float(t);
        soft_threshold<float>(L, reinterpret_cast<const float*>(xa.data), reinterpret_cast<float*>(y.data), &tv);
    }
    return std::move(y.array);
}

py::object enet_prox_fast(py::handle x, py::handle l1, py::handle l2, py::handle out) {
    fast::Array xa, oa;
    double a, b;
    if (!fast::float_input(x.ptr(), xa, false) || !fast::scalar_param(l1.ptr(), a) || !fast::scalar_param(l2.ptr(), b))
        return py::none();
    FastOutput y = fast_output(out, xa, oa);
    if (!y.array) return py::none();
    const auto L = flat_layout<4>(xa.size, {1, 1, 0, 0});
    fast::MaybeNoGil nogil(xa.size >= fast::NOGIL_FROM);
    if (xa.type_num == fast::npy::NPY_DOUBLE_) {
        const double av = a, bv = b;
        enet_prox<double>(L, reinterpret_cast<const double*>(xa.data), reinterpret_cast<double*>(y.data), &av, &bv);
    } else {
        const float av = float(a), bv = float(b);
        enet_prox<float>(L, reinterpret_cast<const float*>(xa.data), reinterpret_cast<float*>(y.data), &av, &bv);
    }
    return std::move(y.array);
}

}  // namespace

void register_prox(py::module_& m) {
    bind_prox<float>(m);
    bind_prox<double>(m);
    m.def("soft_threshold_fast", &soft_threshold_fast,
          "soft_threshold's common case (contiguous float32/float64 x, scalar threshold, out None "
          "or alike); None when the call is not that case.");
    m.def("enet_prox_fast", &enet_prox_fast, "enet_prox's common case, as soft_threshold_fast.");

    // For bench_kernels.py --threads-curve, which measures where a second thread starts to
    // pay: sets the kernels' serial thresholds (values > 0) and returns them.
    m.def("_kernel_serial_below", [](index_t bandwidth, index_t compute) {
        const KernelSerialBelow now = kernel_serial_below();
        set_kernel_serial_below(bandwidth > 0 ? bandwidth : now.bandwidth, compute > 0 ? compute : now.compute);
        const KernelSerialBelow r = kernel_serial_below();
        return py::make_tuple(r.bandwidth, r.compute);
    }, py::arg("bandwidth") = 0, py::arg("compute") = 0);

    // Probes for bench_kernels.py --breakdown: the cost of a bound call that does nothing
    // with three arguments, and of n releases and re-acquisitions of the GIL.
    m.def("_probe_call", [](py::handle, py::handle, py::handle) {});
    m.def("_probe_gil_release", [](index_t n) {
        const auto start = std::chrono::steady_clock::now();
        for (index_t k = 0; k < n; ++k) fast::MaybeNoGil nogil(true);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / double(std::max<index_t>(n, 1));
    });
}

}  // namespace fastreg::bindings
