// Explicit instantiations of the summary-statistics path solver (declared extern in
// fastreg/cd/gram_path.hpp), so that the bindings do not compile it again.
#include "fastreg/cd/gram_path.hpp"

namespace fastreg::cd {

FASTREG_GRAM_ALL(template)

}  // namespace fastreg::cd
