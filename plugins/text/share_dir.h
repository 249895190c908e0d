// Where the text plugin finds the files sluice ships (built-in vocabularies): the share/sluice
// directory of the installation the plugin belongs to (the nearest <dir>/share/sluice above
// <prefix>/lib[/<arch>]/sluice/plugins/text.so), or, for a plugin in a build tree, the source
// tree's share/.
#pragma once

#include <string>

namespace sluice::text {

std::string share_dir();

}  // namespace sluice::text
