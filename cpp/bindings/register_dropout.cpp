// Dropout forward, backward and masks, twice: the fast entry points take the common case
// straight from Python (fast_path.hpp) and answer None for anything else; for the general
// ones Python has validated p, seed and offset, computed the keep threshold and scale, and
// allocated outputs (packed masks zeroed), and this checks shapes and sizes and hands
// pointers over.
#include "call_scope.hpp"
#include "arrays.hpp"
#include "fast_path.hpp"
#include "fastreg/dropout.hpp"
#include "fastreg/kernels.hpp"

#include <cmath>
#include <cstring>
#include <optional>

namespace fastreg::bindings {

namespace {

template <class T>
using arr = py::array_t<T, 0>;  // any strides; with noconvert() the dtype must match exactly
using bool_arr = py::array_t<bool, 0>;
using byte_arr = py::array_t<std::uint8_t, 0>;

void check_packed(const byte_arr& packed, index_t n) {
    if (packed.ndim() != 1 || packed.shape(0) != (n + 7) / 8 || (packed.shape(0) > 1 && packed.strides(0) != 1))
        throw py::value_error("mask: a packed mask must be a contiguous 1-D uint8 array of " +
                              std::to_string((n + 7) / 8) + " bytes");
}

// Fills the layout's mask operand (k = 2) from an optional bool mask.
const std::uint8_t* add_mask(NdLayout<3>& L, const std::optional<bool_arr>& mask) {
    if (!mask) {
        add_absent(L, 2);
        return nullptr;
    }
    add_operand(L, 2, *mask, "mask");
    return reinterpret_cast<const std::uint8_t*>(mask->data());
}

std::uint8_t* writeable_bytes(const py::array& a, const char* name) {
    require_writeable(a, name);
    return static_cast<std::uint8_t*>(const_cast<void*>(a.data()));
}

template <class T>
void bind_dropout(py::module_& m) {
    // y = keep ? x * scale : 0 with keep from Philox, optionally writing the masks.
    m.def("dropout",
          [](arr<T> x, arr<T> out, T scale, std::uint64_t seed, std::uint64_t offset,
             std::uint64_t threshold, std::optional<bool_arr> mask, std::optional<byte_arr> packed) {
              NdLayout<3> L;
              add_operand(L, 0, x, "x");
              add_operand(L, 1, out, "out");
              DropoutOutputs outputs;
              if (mask) outputs.mask = writeable_bytes(*mask, "mask");
              add_mask(L, mask);
              if (packed) {
                  check_packed(*packed, L.size());
                  outputs.packed = writeable_bytes(*packed, "mask");
              }
              require_writeable(out, "out");
              DropoutMaskSource src;
              src.seed = seed;
              src.offset = offset;
              src.threshold = threshold;
              const T* xp = x.data();
              T* op = out.mutable_data();
              CallScope stop;  // (Ctrl-C on huge arrays)
              py::gil_scoped_release nogil;
              dropout<T>(L, xp, op, scale, src, outputs);
          },
          py::arg("x").noconvert(), py::arg("out").noconvert(), py::arg("scale"), py::arg("seed"),
          py::arg("offset"), py::arg("threshold"), py::arg("mask") = py::none(),
          py::arg("packed") = py::none());

    // y = m ? grad * scale : 0 with m a given bool or packed mask.
    m.def("dropout_apply_mask",
          [](arr<T> grad, arr<T> out, T scale, std::optional<bool_arr> mask,
             std::optional<byte_arr> packed) {
              if (mask.has_value() == packed.has_value())
                  throw py::value_error("mask: give exactly one of a bool or a packed mask");
              NdLayout<3> L;
              add_operand(L, 0, grad, "grad");
              add_operand(L, 1, out, "out");
              DropoutMaskSource src;
              src.mask = add_mask(L, mask);
              if (packed) {
                  check_packed(*packed, L.size());
                  src.packed = packed->data();
              }
              require_writeable(out, "out");
              const T* gp = grad.data();
              T* op = out.mutable_data();
              CallScope stop;  // (Ctrl-C on huge arrays)
              py::gil_scoped_release nogil;
              dropout<T>(L, gp, op, scale, src, DropoutOutputs{});
          },
          py::arg("grad").noconvert(), py::arg("out").noconvert(), py::arg("scale"),
          py::arg("mask") = py::none(), py::arg("packed") = py::none());
}

// ---- The common case -------------------------------------------------------------------
// Elements are walked in C order, which is the mask's order, so inputs must be
// C-contiguous here; the keep threshold and scale are computed exactly as the general path
// computes them in Python (IEEE doubles, no contraction), so both give the same bits.

struct Keep {
    std::uint64_t threshold;  // floor((1 - p) * 2**32)
    double scale;             // 1 / (1 - p), 0 when p == 1
};

Keep keep_for(double p) {
    return {std::uint64_t(std::floor((1.0 - p) * 4294967296.0)), p < 1.0 ? 1.0 / (1.0 - p) : 0.0};
}

// y = keep ? x * scale : 0 over n contiguous elements (x, y possibly null), with the keep
// decisions from `src` and masks written where asked.
void run_flat(int type_num, const char* x, char* y, index_t n, double scale, const DropoutMaskSource& src,
              const DropoutOutputs& outputs, bool mask_operand) {
    NdLayout<3> L;
    L.ndim = 1;
    L.shape[0] = n;
    L.strides[0][0] = 1;
    L.strides[1][0] = 1;
    L.strides[2][0] = mask_operand ? 1 : 0;
    fast::MaybeNoGil nogil(n >= fast::NOGIL_FROM);
    if (type_num == fast::npy::NPY_DOUBLE_)
        dropout<double>(L, reinterpret_cast<const double*>(x), reinterpret_cast<double*>(y), scale, src, outputs);
    else
        dropout<float>(L, reinterpret_cast<const float*>(x), reinterpret_cast<float*>(y), float(scale), src, outputs);
}

// The output for x: out itself, or a new C-ordered array like x. Null when out is not the
// common case.
py::object output_or_new(py::handle out, const fast::Array& x, fast::Array& o) {
    bool given = false;
    if (!fast::output_for(out.ptr(), x, o, given)) return {};
    if (given) return py::reinterpret_borrow<py::object>(out);
    auto y = py::reinterpret_steal<py::object>(fast::new_like(x));
    if (!y) throw py::error_already_set();
    return y;
}

char* data_of(const py::object& a) { return py::detail::array_proxy(a.ptr())->data; }

// A zeroed packed mask of n bits, or a bool mask of `shape`.
py::object new_mask(bool packed, index_t n, int ndim, const Py_ssize_t* shape) {
    py::object m;
    if (packed) {
        const Py_ssize_t nbytes = (n + 7) / 8;
        m = py::reinterpret_steal<py::object>(fast::new_array(fast::npy::NPY_UBYTE_, 1, &nbytes));
        if (m) std::memset(data_of(m), 0, std::size_t(nbytes));
    } else {
        m = py::reinterpret_steal<py::object>(fast::new_array(fast::npy::NPY_BOOL_, ndim, shape));
    }
    if (!m) throw py::error_already_set();
    return m;
}

py::object dropout_fast(py::handle x, py::handle p, py::handle seed, py::handle offset, py::handle out,
                        py::handle return_mask, py::handle packed_mask) {
    fast::Array xa, oa;
    double pv;
    std::uint64_t s, off;
    bool want_mask, packed;
    if (!fast::float_input(x.ptr(), xa, true) || !fast::probability(p.ptr(), pv) || !fast::uint64_arg(seed.ptr(), s) ||
        !fast::uint64_arg(offset.ptr(), off) || !fast::offset_fits(off, xa.size) ||
        !fast::flag(return_mask.ptr(), want_mask) || !fast::flag(packed_mask.ptr(), packed))
        return py::none();
    py::object y = output_or_new(out, xa, oa);
    if (!y) return py::none();
    const Keep keep = keep_for(pv);
    DropoutMaskSource src;
    src.seed = s;
    src.offset = off;
    src.threshold = keep.threshold;
    DropoutOutputs outputs;
    py::object mask;
    if (want_mask) {
        mask = new_mask(packed, xa.size, xa.ndim, xa.shape);
        (packed ? outputs.packed : outputs.mask) = reinterpret_cast<std::uint8_t*>(data_of(mask));
    }
    run_flat(xa.type_num, xa.data, data_of(y), xa.size, keep.scale, src, outputs, outputs.mask != nullptr);
    if (want_mask) return py::make_tuple(std::move(y), std::move(mask));
    return y;
}

py::object dropout_backward_fast(py::handle grad, py::handle p, py::handle mask, py::handle seed,
                                 py::handle offset, py::handle out) {
    fast::Array ga, oa, ma;
    double pv;
    if (!fast::float_input(grad.ptr(), ga, true) || !fast::probability(p.ptr(), pv)) return py::none();
    DropoutMaskSource src;
    bool mask_operand = false;
    if (mask.is_none() && !seed.is_none()) {
        std::uint64_t off;
        if (!fast::uint64_arg(seed.ptr(), src.seed) || !fast::uint64_arg(offset.ptr(), off) ||
            !fast::offset_fits(off, ga.size))
            return py::none();
        src.offset = off;
        src.threshold = keep_for(pv).threshold;
    } else if (!mask.is_none() && seed.is_none()) {
        // A given mask has its offset applied already: only the default 0 is the common case.
        if (!PyLong_CheckExact(offset.ptr()) || PyLong_AsLong(offset.ptr()) != 0 || !fast::plain_array(mask.ptr(), ma))
            return py::none();
        if (ma.type_num == fast::npy::NPY_BOOL_ && fast::same_shape(ma, ga) && fast::c_contiguous(ma)) {
            src.mask = reinterpret_cast<const std::uint8_t*>(ma.data);
            mask_operand = true;
        } else if (ma.type_num == fast::npy::NPY_UBYTE_ && ma.ndim == 1 && ma.size == (ga.size + 7) / 8 &&
                   fast::c_contiguous(ma)) {
            src.packed = reinterpret_cast<const std::uint8_t*>(ma.data);
        } else {
            return py::none();
        }
    } else {
        return py::none();  // both or neither: the general path says which
    }
    py::object y = output_or_new(out, ga, oa);
    if (!y) return py::none();
    if (ma.obj && !out.is_none() && fast::overlap(oa, ma)) return py::none();
    run_flat(ga.type_num, ga.data, data_of(y), ga.size, keep_for(pv).scale, src, DropoutOutputs{}, mask_operand);
    return y;
}

py::object dropout_mask_fast(py::handle shape, py::handle p, py::handle seed, py::handle offset,
                             py::handle packed_flag, py::handle like) {
    Py_ssize_t dims[MAX_DIMS];
    int ndim = 0;
    index_t size = 1;
    // One dimension from an exact int; false (error cleared) for anything else.
    const auto dim = [&](PyObject* d) {
        if (!PyLong_CheckExact(d)) return false;
        dims[ndim++] = PyLong_AsSsize_t(d);
        if (dims[ndim - 1] == -1 && PyErr_Occurred()) {
            PyErr_Clear();
            return false;
        }
        return true;
    };
    if (PyLong_CheckExact(shape.ptr())) {
        if (!dim(shape.ptr())) return py::none();
    } else if (PyTuple_CheckExact(shape.ptr()) && PyTuple_GET_SIZE(shape.ptr()) <= MAX_DIMS) {
        for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(shape.ptr()); ++k)
            if (!dim(PyTuple_GET_ITEM(shape.ptr(), k))) return py::none();
    } else {
        return py::none();
    }
    for (int k = 0; k < ndim; ++k) {
        // Negative or overflowing sizes: the general path (or NumPy) gives the error.
        if (dims[k] < 0 || (dims[k] > 0 && size > (index_t(1) << 62) / dims[k])) return py::none();
        size *= dims[k];
    }
    double pv;
    std::uint64_t s, off;
    bool packed;
    if (!like.is_none() || !fast::probability(p.ptr(), pv) || !fast::uint64_arg(seed.ptr(), s) ||
        !fast::uint64_arg(offset.ptr(), off) || !fast::offset_fits(off, size) || !fast::flag(packed_flag.ptr(), packed))
        return py::none();
    DropoutMaskSource src;
    src.seed = s;
    src.offset = off;
    src.threshold = keep_for(pv).threshold;
    py::object mask = new_mask(packed, size, ndim, dims);
    DropoutOutputs outputs;
    (packed ? outputs.packed : outputs.mask) = reinterpret_cast<std::uint8_t*>(data_of(mask));
    run_flat(fast::npy::NPY_DOUBLE_, nullptr, nullptr, size, 1.0, src, outputs, !packed);
    return mask;
}

}  // namespace

void register_dropout(py::module_& m) {
    bind_dropout<float>(m);
    bind_dropout<double>(m);
    m.def("dropout_fast", &dropout_fast,
          "dropout's common case (C-contiguous float32/float64 x, float p, int seed and offset, "
          "out None or alike, bool flags); None when the call is not that case.");
    m.def("dropout_backward_fast", &dropout_backward_fast, "dropout_backward's common case, as dropout_fast.");
    m.def("dropout_mask_fast", &dropout_mask_fast, "dropout_mask's common case, as dropout_fast.");

    // Test hook: the words of whole groups from one named Philox variant.
    m.def("philox_groups",
          [](std::uint64_t seed, std::uint64_t first_group, index_t ngroups, const std::string& variant) {
              const auto fn = dropout_detail::philox_groups_variant(variant.c_str());
              if (!fn) throw py::value_error("variant: '" + variant + "' is not available here");
              if (ngroups < 0) throw py::value_error("ngroups: must be non-negative");
              py::array_t<std::uint32_t> words(ngroups * dropout_detail::GROUP);
              std::uint32_t* w = words.mutable_data();
              {
                  CallScope stop;  // (Ctrl-C on huge arrays)
                  py::gil_scoped_release nogil;
                  fn(seed, first_group, ngroups, w);
              }
              return words;
          },
          py::arg("seed"), py::arg("first_group"), py::arg("ngroups"), py::arg("variant"),
          "Random words of groups first_group .. first_group + ngroups - 1, in element order, "
          "from one Philox variant ('avx512', 'avx2', 'scalar'); for tests.");

    // The mask alone, into a bool array (any shape; C-order flat index) or packed bits.
    m.def("dropout_mask",
          [](std::uint64_t seed, std::uint64_t offset, std::uint64_t threshold,
             std::optional<bool_arr> mask, std::optional<byte_arr> packed, index_t size) {
              NdLayout<3> L;
              L.ndim = 1;
              L.shape[0] = size;
              add_absent(L, 0);
              add_absent(L, 1);
              add_absent(L, 2);
              DropoutOutputs outputs;
              if (mask) {
                  if (mask->size() != size) throw py::value_error("mask: size differs from `size`");
                  outputs.mask = writeable_bytes(*mask, "mask");
                  NdLayout<3> M;  // the mask's own layout, with its strides as operand 2
                  add_operand(M, 0, *mask, "mask");
                  add_absent(M, 1);
                  add_operand(M, 2, *mask, "mask");
                  L = M;
              }
              if (packed) {
                  check_packed(*packed, size);
                  outputs.packed = writeable_bytes(*packed, "mask");
              }
              DropoutMaskSource src;
              src.seed = seed;
              src.offset = offset;
              src.threshold = threshold;
              CallScope stop;  // (Ctrl-C on huge arrays)
              py::gil_scoped_release nogil;
              dropout<double>(L, nullptr, nullptr, 1.0, src, outputs);
          },
          py::arg("seed"), py::arg("offset"), py::arg("threshold"), py::arg("mask") = py::none(),
          py::arg("packed") = py::none(), py::arg("size"));
}

}  // namespace fastreg::bindings
