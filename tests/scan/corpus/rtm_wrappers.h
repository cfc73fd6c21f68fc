/* rtm_wrappers.h: the RIP module's own macros over RTMv1. Written for the rtmcompat scanner tests. */
#ifndef RTM_WRAPPERS_H
#define RTM_WRAPPERS_H

#include <rtm.h>

extern HANDLE g_hClient;
extern DWORD g_flags;

#define RTM_CALL(expr) do { DWORD e_ = (expr); if (e_ != NO_ERROR) RipFail(e_, #expr); } while (0)
#define ADD_ROUTE(r) RtmAddRoute(g_hClient, (r), 60, &g_flags, NULL, NULL)
#define DEL_ROUTE(r) \
    RtmDeleteRoute(g_hClient, (r), &g_flags, NULL)
#define REPLACE_ROUTE(o, n) do { DEL_ROUTE(o); ADD_ROUTE(n); } while (0)
#define BEST_ONLY (RTM_ONLY_BEST_ROUTES | RTM_ONLY_THIS_NETWORK)
#define RTM_ENUMERATE RtmEnumerateGetNextRoute
#define ROUTE_SIZE sizeof(RTM_IP_ROUTE)

DWORD RipAddStatic(PRTM_IP_ROUTE pRoute);

#endif
