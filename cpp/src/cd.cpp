// Explicit instantiations of the coordinate-descent solvers (declared extern in
// fastreg/cd/enet.hpp), so that the bindings do not compile them again.
#include "fastreg/cd/enet.hpp"

namespace fastreg::cd {

FASTREG_CD_ALL(template)

}  // namespace fastreg::cd
