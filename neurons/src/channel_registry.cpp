// The channel registry: one line per channel (each defined in neurons/src/channels/).
#include <neurode/neurons/channel.hpp>

namespace neurode::neurons {

ChannelInfo hh_channel();
ChannelInfo pas_channel();

const std::vector<ChannelInfo>& channel_registry()
{
    static const std::vector<ChannelInfo> registry = {
        hh_channel(),
        pas_channel(),
    };
    return registry;
}

}  // namespace neurode::neurons
