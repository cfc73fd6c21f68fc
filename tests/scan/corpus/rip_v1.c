/*
 * rip_v1.c: a small RIP-like routing protocol written against the RTMv1 API (rtm.h).
 * Written for the rtmcompat scanner tests; it is parsed, never compiled.
 */
#include <windows.h>
#include <rtm.h>

#pragma comment(lib, "rtm.lib")

#define RIP_TTL_SECONDS 180

typedef struct _RIP_GLOBALS {
    HANDLE hRtmClient;
    HANDLE hChangeEvent;
    DWORD dwRoutes;
} RIP_GLOBALS;

static RIP_GLOBALS g_rip;

DWORD WINAPI
RipStartProtocol(
    IN HANDLE hEvent
    )
{
    g_rip.hChangeEvent = hEvent;
    g_rip.hRtmClient = RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, PROTO_IP_RIP, hEvent, RTM_PROTOCOL_SINGLE_ROUTE);
    if (g_rip.hRtmClient == NULL) {
        DWORD dwErr = GetLastError();
        return dwErr == ERROR_CLIENT_ALREADY_EXISTS ? ERROR_ALREADY_EXISTS : dwErr;
    }
    return NO_ERROR;
}

DWORD APIENTRY
RipAddRoute(
    _In_ DWORD dwNetwork,
    _In_ DWORD dwMask,
    _In_ DWORD dwNextHop,
    _In_ DWORD dwInterface,
    _In_ DWORD dwMetric
    )
{
    RTM_IP_ROUTE route, current, previous;
    DWORD dwFlags = 0;

    ZeroMemory(&route, sizeof(route));
    route.RR_Network.N_NetNumber = dwNetwork;
    route.RR_Network.N_NetMask = dwMask;
    route.RR_NextHopAddress.N_NetNumber = dwNextHop;
    route.RR_InterfaceID = dwInterface;
    route.RR_FamilySpecificData.FSD_Metric = dwMetric;
    ClearRouteFlags(&route);
    SetRouteValid(&route);
    return RtmAddRoute(g_rip.hRtmClient, &route, 180, &dwFlags, &current, &previous);
}

DWORD
RipDeleteRoute(PRTM_IP_ROUTE pRoute)
{
    DWORD dwFlags;
    DWORD dwErr = RtmDeleteRoute(g_rip.hRtmClient, pRoute, &dwFlags, NULL);
    if (dwErr == ERROR_NO_SUCH_ROUTE) {
        dwErr = NO_ERROR;
    }
    return dwErr;
}

VOID
RipProcessChanges(VOID)
{
    RTM_IP_ROUTE current, previous;
    DWORD dwFlags, dwErr;

    do {
        dwErr = RtmDequeueRouteChangeMessage(g_rip.hRtmClient, &dwFlags, &current, &previous);
        if (dwErr != NO_ERROR && dwErr != ERROR_MORE_MESSAGES) {
            break;
        }
        if (dwFlags == RTM_ROUTE_ADDED || dwFlags == RTM_ROUTE_CHANGED) {
            if (!IsRouteValid(&current) || IsRouteLoopback(&current)) {
                continue;
            }
            RipAdvertise(&current);
        } else if (dwFlags & RTM_PREVIOUS_BEST_ROUTE) {
            RipWithdraw(&previous);
        }
    } while (dwErr == ERROR_MORE_MESSAGES);
}

DWORD
RipAdvertiseTable(DWORD dwInterface)
{
    RTM_IP_ROUTE criteria, route;
    HANDLE hEnum;
    DWORD dwErr;

    criteria.RR_InterfaceID = dwInterface;
    hEnum = RtmCreateEnumerationHandle(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_THIS_INTERFACE | RTM_ONLY_BEST_ROUTES, &criteria);
    if (hEnum == NULL) {
        return GetLastError();
    }
    while ((dwErr = RtmEnumerateGetNextRoute(hEnum, &route)) == NO_ERROR) {
        if (RtmGetRouteAge(&route) > 90) {  // rtmcompat: ignore[RtmGetRouteAge] reason: the age only filters adverts
            continue;
        }
        RipAdvertise(&route);
    }
    RtmCloseEnumerationHandle(hEnum);
    return dwErr == ERROR_NO_MORE_ROUTES ? NO_ERROR : dwErr;
}

DWORD
RipWalkTable(VOID)
{
    RTM_IP_ROUTE route;
    DWORD dwErr = RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, 0x9, &route);
    while (dwErr == NO_ERROR) {
        dwErr = RtmGetNextRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, &route);
    }
    return dwErr == ERROR_NO_ROUTES ? NO_ERROR : dwErr;
}

BOOL
RipHasRoute(IP_NETWORK *pNetwork, PRTM_IP_ROUTE pBest)
{
    if (RtmGetNetworkCount(RTM_PROTOCOL_FAMILY_IP) == 0) {
        return FALSE;
    }
    if (RtmGetSpecificRoute(RTM_PROTOCOL_FAMILY_IP, pBest) == NO_ERROR) {
        return TRUE;
    }
    return RtmIsRoute(RTM_PROTOCOL_FAMILY_IP, pNetwork, pBest);
}

BOOL
RipLookup(DWORD dwAddress, PRTM_IP_ROUTE pRoute)
{
    return RtmLookupIPDestination(dwAddress, pRoute);
}

VOID
RipInterfaceDown(DWORD dwInterface)
{
    RTM_IP_ROUTE criteria;

    criteria.RR_InterfaceID = dwInterface;
    RtmBlockDeleteRoutes(g_rip.hRtmClient, RTM_ONLY_THIS_INTERFACE, &criteria);
}

DWORD
RipInit(HANDLE hEvent)
{
    DWORD dwErr = RipStartProtocol(hEvent);
    if (dwErr == NO_ERROR) {
        dwErr = RipAddRoute(0x0000000A, 0x000000FF, 0x0100000A, 1, 1);
    }
    return dwErr;
}

DWORD WINAPI
RipStopProtocol(VOID)
{
    DWORD dwErr = RtmDeregisterClient(g_rip.hRtmClient);

    g_rip.hRtmClient = NULL;
    return dwErr;
}
