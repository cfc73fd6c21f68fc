// route_table.cpp: a C++ route table over RTMv1: methods in and out of the class, a lambda, a function pointer
// member named like a v1 function. Written for the rtmcompat scanner tests.
#include <windows.h>
#include <rtm.h>
#include <vector>

namespace rip {

class RouteTable {
public:
    explicit RouteTable(HANDLE client) : client_(client) {}

    DWORD Add(RTM_IP_ROUTE &route, DWORD ttl)
    {
        DWORD flags = 0;
        return ::RtmAddRoute(client_, &route, ttl, &flags, nullptr, nullptr);
    }

    std::vector<RTM_IP_ROUTE> Best() const;

private:
    HANDLE client_;
};

std::vector<RTM_IP_ROUTE> RouteTable::Best() const
{
    std::vector<RTM_IP_ROUTE> found;
    RTM_IP_ROUTE route{};
    auto visit = [&](DWORD flags) {
        DWORD err = RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, flags, &route);
        while (err == NO_ERROR) {
            found.push_back(route);
            err = RtmGetNextRoute(RTM_PROTOCOL_FAMILY_IP, flags, &route);
        }
    };
    visit(RTM_ONLY_BEST_ROUTES);
    return found;
}

struct RtmApi {
    DWORD (WINAPI *RtmDeleteRoute)(HANDLE, PVOID, DWORD *, PVOID);
};

DWORD Remove(RtmApi &api, HANDLE client, RTM_IP_ROUTE &route)
{
    DWORD flags = 0;
    return api.RtmDeleteRoute(client, &route, &flags, nullptr);
}

}  // namespace rip

int main()
{
    rip::RouteTable table(RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, 8, nullptr, 0));
    RTM_IP_ROUTE route{};
    table.Add(route, INFINITE);
    return 0;
}
