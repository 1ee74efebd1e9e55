// The channel registry: one line per channel (each defined in neurons/src/channels/).
#include <neurode/neurons/channel.hpp>

namespace neurode::neurons {

ChannelInfo hh_channel();
ChannelInfo pas_channel();
ChannelInfo na_pospischil_channel();
ChannelInfo k_pospischil_channel();
ChannelInfo km_pospischil_channel();
ChannelInfo cal_pospischil_channel();
ChannelInfo cat_pospischil_channel();
ChannelInfo leak_channel();

const std::vector<ChannelInfo>& channel_registry()
{
    static const std::vector<ChannelInfo> registry = {
        hh_channel(),
        pas_channel(),
        na_pospischil_channel(),
        k_pospischil_channel(),
        km_pospischil_channel(),
        cal_pospischil_channel(),
        cat_pospischil_channel(),
        leak_channel(),
    };
    return registry;
}

}  // namespace neurode::neurons
