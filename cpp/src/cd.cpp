// Explicit instantiations of the coordinate-descent solvers (declared extern in
// fastreg/cd/enet.hpp), so that the bindings do not compile them again.
#include "fastreg/cd/path.hpp"
#include "fastreg/cd/enet_paths.hpp"

namespace fastreg::cd {

FASTREG_CD_ALL(template)
FASTREG_CD_PATHS_ALL(template)

}  // namespace fastreg::cd
