/*
 * mixed_v1_v2.c: an OSPF-like module half way through its port: IP routes go through RTMv2 (rtmv2.h), the IPX
 * side still uses an RTMv1 client. Written for the rtmcompat scanner tests.
 */
#include <windows.h>
#include <rtm.h>
#include <rtmv2.h>

static RTM_ENTITY_HANDLE g_hEntity;
static RTM_REGN_PROFILE g_profile;
static HANDLE g_hIpxClient;

DWORD WINAPI
OspfEvent(RTM_ENTITY_HANDLE hRtm, RTM_EVENT_TYPE type, PVOID context1, PVOID context2)
{
    if (type == RTM_CHANGE_NOTIFICATION) {
        OspfDrainChanges(hRtm, context1);
    }
    return NO_ERROR;
}

DWORD
OspfRegister(VOID)
{
    RTM_ENTITY_INFO info;
    DWORD dwErr;

    info.RtmInstanceId = 0;
    info.AddressFamily = AF_INET;
    info.EntityId.EntityProtocolId = PROTO_IP_OSPF;
    info.EntityId.EntityInstanceId = 0;
    dwErr = RtmRegisterEntity(&info, NULL, OspfEvent, FALSE, &g_profile, &g_hEntity);
    if (dwErr != NO_ERROR) {
        return dwErr;
    }
    g_hIpxClient = RtmRegisterClient(RTM_PROTOCOL_FAMILY_IPX, IPX_PROTOCOL_RIP, NULL, 0);
    return g_hIpxClient != NULL ? NO_ERROR : GetLastError();
}

DWORD
OspfAddRoute(DWORD addr, UINT len, RTM_NEXTHOP_HANDLE hNextHop, ULONG metric)
{
    RTM_NET_ADDRESS dest;
    RTM_ROUTE_INFO info;
    RTM_ROUTE_HANDLE hRoute = NULL;
    RTM_ROUTE_CHANGE_FLAGS change = 0;

    RTM_IPV4_SET_ADDR_AND_LEN(&dest, addr, len);
    ZeroMemory(&info, sizeof(info));
    info.PrefInfo.Metric = metric;
    info.BelongsToViews = RTM_VIEW_MASK_UCAST;
    info.NextHopsList.NumNextHops = 1;
    info.NextHopsList.NextHops[0] = hNextHop;
    return RtmAddRouteToDest(g_hEntity, &hRoute, &dest, &info, INFINITE, NULL, 0, NULL, &change);
}

DWORD
IpxAddRoute(RTM_IPX_ROUTE *pRoute)
{
    DWORD flags;
    RTM_IPX_ROUTE current, previous;

    pRoute->RR_FamilySpecificData.FSD_Flags = IPX_GLOBAL_CLIENT_WAN_ROUTE;
    return RtmAddRoute(g_hIpxClient, pRoute, INFINITE, &flags, &current, &previous);
}

VOID
OspfStop(VOID)
{
    RtmDeregisterEntity(g_hEntity);
    RtmDeregisterClient(g_hIpxClient);
}
