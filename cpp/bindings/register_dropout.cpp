// Dropout forward, backward and masks. Python has validated p, seed and offset, computed
// the keep threshold and scale, and allocated outputs (packed masks zeroed); this checks
// shapes and sizes and hands pointers over.
#include "arrays.hpp"
#include "fastreg/dropout.hpp"
#include "fastreg/kernels.hpp"

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
              py::gil_scoped_release nogil;
              dropout<T>(L, gp, op, scale, src, DropoutOutputs{});
          },
          py::arg("grad").noconvert(), py::arg("out").noconvert(), py::arg("scale"),
          py::arg("mask") = py::none(), py::arg("packed") = py::none());
}

}  // namespace

void register_dropout(py::module_& m) {
    bind_dropout<float>(m);
    bind_dropout<double>(m);

    // Test hook: the words of whole groups from one named Philox variant.
    m.def("philox_groups",
          [](std::uint64_t seed, std::uint64_t first_group, index_t ngroups, const std::string& variant) {
              const auto fn = dropout_detail::philox_groups_variant(variant.c_str());
              if (!fn) throw py::value_error("variant: '" + variant + "' is not available here");
              if (ngroups < 0) throw py::value_error("ngroups: must be non-negative");
              py::array_t<std::uint32_t> words(ngroups * dropout_detail::GROUP);
              std::uint32_t* w = words.mutable_data();
              {
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
              py::gil_scoped_release nogil;
              dropout<double>(L, nullptr, nullptr, 1.0, src, outputs);
          },
          py::arg("seed"), py::arg("offset"), py::arg("threshold"), py::arg("mask") = py::none(),
          py::arg("packed") = py::none(), py::arg("size"));
}

}  // namespace fastreg::bindings
