// The common case of the elementwise kernels, recognised straight from the Python objects.
//
// A kernel called on a small array costs more in argument handling than in arithmetic, so
// the usual call (a contiguous float32/float64 ndarray, a Python float or int parameter,
// no out= or an out= of the same dtype and layout) is checked here in one C++ call, from
// the raw NumPy structs, without pybind11's casters or a second overload. Anything that is
// not plainly that case makes the fast entry point return None, and the Python layer then
// runs the general path, which converts what it may and names the argument it refuses.
// So a check here may be strict (fall back), never lenient.
#ifndef FASTREG_BINDINGS_FAST_PATH_HPP
#define FASTREG_BINDINGS_FAST_PATH_HPP

#include "call_scope.hpp"
#include "fastreg/common.hpp"
#include "fastreg/nditer.hpp"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <cstring>
#include <optional>

namespace fastreg::bindings::fast {

namespace py = pybind11;
using npy = py::detail::npy_api;

// Below this many elements a call keeps the GIL while the kernel runs: releasing and
// taking it back costs more than the kernel itself there (bench/README.md, "Where a small
// call's time goes"), and such a call holds the GIL for a few microseconds at most.
constexpr index_t NOGIL_FROM = index_t(1) << 14;

// Releases the GIL for the scope when `release` is true.
// While it is released, a Ctrl-C stops the kernel between slabs (fastreg/interrupt.hpp).
class MaybeNoGil {
public:
    explicit MaybeNoGil(bool release) {
        if (!release) return;
        stop_.emplace();
        state_ = PyEval_SaveThread();
    }
    ~MaybeNoGil() {
        if (state_) PyEval_RestoreThread(state_);
    }
    MaybeNoGil(const MaybeNoGil&) = delete;
    MaybeNoGil& operator=(const MaybeNoGil&) = delete;

private:
    std::optional<CallScope> stop_;
    PyThreadState* state_ = nullptr;
};

// What the fast path needs to know about an ndarray.
struct Array {
    PyObject* obj = nullptr;
    char* data = nullptr;
    int ndim = 0;
    const Py_ssize_t* shape = nullptr;
    const Py_ssize_t* strides = nullptr;
    PyObject* descr = nullptr;
    int type_num = -1;
    int flags = 0;
    index_t size = 0;
    // Bytes of the elements; only asked of the types the fast path takes (float32,
    // float64, bool, uint8).
    index_t nbytes() const {
        const index_t item = type_num == npy::NPY_DOUBLE_ ? 8 : type_num == npy::NPY_FLOAT_ ? 4 : 1;
        return size * item;
    }
};

inline const npy& api() {
    static const npy& a = npy::get();
    return a;
}

inline bool native_byte_order(char byteorder) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return byteorder == '=' || byteorder == '>' || byteorder == '|';
#else
    return byteorder == '=' || byteorder == '<' || byteorder == '|';
#endif
}

// True when `o` is exactly an ndarray (not a subclass: a matrix or masked array takes the
// general path) in native byte order, aligned; fills `a`.
inline bool plain_array(PyObject* o, Array& a) {
    if (Py_TYPE(o) != api().PyArray_Type_) return false;
    const auto* p = py::detail::array_proxy(o);
    const auto* d = py::detail::array_descriptor_proxy(p->descr);
    if (!native_byte_order(d->byteorder) || !(p->flags & npy::NPY_ARRAY_ALIGNED_)) return false;
    a.obj = o;
    a.data = p->data;
    a.ndim = p->nd;
    a.shape = p->dimensions;
    a.strides = p->strides;
    a.descr = p->descr;
    a.type_num = d->type_num;
    a.flags = p->flags;
    a.size = 1;
    for (int k = 0; k < a.ndim; ++k) a.size *= a.shape[k];
    return true;
}

inline bool c_contiguous(const Array& a) { return a.flags & npy::NPY_ARRAY_C_CONTIGUOUS_; }
inline bool any_contiguous(const Array& a) {
    return a.flags & (npy::NPY_ARRAY_C_CONTIGUOUS_ | npy::NPY_ARRAY_F_CONTIGUOUS_);
}

// A float32 or float64 input, contiguous (C order only when `c_order`).
inline bool float_input(PyObject* o, Array& a, bool c_order) {
    return plain_array(o, a) && (a.type_num == npy::NPY_FLOAT_ || a.type_num == npy::NPY_DOUBLE_) &&
           (c_order ? c_contiguous(a) : any_contiguous(a));
}

inline bool same_shape(const Array& a, const Array& b) {
    if (a.ndim != b.ndim) return false;
    for (int k = 0; k < a.ndim; ++k)
        if (a.shape[k] != b.shape[k]) return false;
    return true;
}

// Whether the bytes of two contiguous arrays intersect.
inline bool overlap(const Array& a, const Array& b) {
    if (a.size == 0 || b.size == 0) return false;
    return a.data < b.data + b.nbytes() && b.data < a.data + a.nbytes();
}

// A caller's out= for input x: the same dtype, shape and strides (so one flat walk serves
// both), writeable, and either x itself (in place) or disjoint from it. None is accepted
// (`given` false). Anything else falls back, and the general path explains it.
inline bool output_for(PyObject* o, const Array& x, Array& out, bool& given) {
    given = o != Py_None;
    if (!given) return true;
    if (!plain_array(o, out) || out.type_num != x.type_num || !same_shape(out, x) ||
        !(out.flags & npy::NPY_ARRAY_WRITEABLE_))
        return false;
    for (int k = 0; k < x.ndim; ++k)
        if (out.shape[k] > 1 && out.strides[k] != x.strides[k]) return false;
    return out.data == x.data || !overlap(out, x);
}

// A new array of x's dtype, shape and memory order (C or F): the general path's result
// layout.
inline PyObject* new_like(const Array& x) {
    Py_INCREF(x.descr);  // NewFromDescr steals a reference
    const bool f_order = !c_contiguous(x);
    return api().PyArray_NewFromDescr_(api().PyArray_Type_, x.descr, x.ndim, x.shape, nullptr, nullptr,
                                       f_order ? npy::NPY_ARRAY_F_CONTIGUOUS_ : 0, nullptr);
}

// A new C-ordered array of one of NumPy's built-in types.
inline PyObject* new_array(int type_num, int ndim, const Py_ssize_t* shape) {
    return api().PyArray_NewFromDescr_(api().PyArray_Type_, api().PyArray_DescrFromType_(type_num), ndim, shape,
                                       nullptr, nullptr, 0, nullptr);
}

// A non-negative real parameter from a Python float (NumPy's float64 included) or int.
// NaN, negatives, huge ints and everything else fall back.
inline bool scalar_param(PyObject* o, double& v) {
    if (PyFloat_Check(o)) {
        v = PyFloat_AS_DOUBLE(o);
    } else if (PyLong_CheckExact(o)) {
        v = PyLong_AsDouble(o);
        if (v == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return false;
        }
    } else {
        return false;
    }
    return v >= 0.0;
}

// A dropout probability: a Python float or int in [0, 1].
inline bool probability(PyObject* o, double& p) {
    if (PyFloat_Check(o)) {
        p = PyFloat_AS_DOUBLE(o);
    } else if (PyLong_CheckExact(o)) {
        p = double(PyLong_AsLong(o));
        if (p == -1.0 && PyErr_Occurred()) {
            PyErr_Clear();
            return false;
        }
    } else {
        return false;
    }
    return p >= 0.0 && p <= 1.0;
}

// An exact Python int in [0, 2**64) (a bool is refused by the general path: fall back).
inline bool uint64_arg(PyObject* o, std::uint64_t& v) {
    if (!PyLong_CheckExact(o)) return false;
    v = PyLong_AsUnsignedLongLong(o);
    if (v == std::uint64_t(-1) && PyErr_Occurred()) {
        PyErr_Clear();
        return false;
    }
    return true;
}

// offset + size <= 2**64.
inline bool offset_fits(std::uint64_t offset, index_t size) {
    return size == 0 || offset <= ~std::uint64_t(0) - std::uint64_t(size - 1);
}

// True or False exactly.
inline bool flag(PyObject* o, bool& v) {
    if (o == Py_True) v = true;
    else if (o == Py_False) v = false;
    else return false;
    return true;
}

}  // namespace fastreg::bindings::fast

#endif  // FASTREG_BINDINGS_FAST_PATH_HPP
