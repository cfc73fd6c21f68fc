/* wrapper_macros.c: RTMv1 used only through the module's own macros (rtm_wrappers.h) and wrapper functions.
 * Written for the rtmcompat scanner tests. */
#include "rtm_wrappers.h"

HANDLE g_hClient;
DWORD g_flags;

DWORD
RipAddStatic(PRTM_IP_ROUTE pRoute)
{
    RTM_CALL(ADD_ROUTE(pRoute));
    return NO_ERROR;
}

static DWORD
RipMove(PRTM_IP_ROUTE pOld, PRTM_IP_ROUTE pNew)
{
    REPLACE_ROUTE(pOld, pNew);
    return NO_ERROR;
}

static DWORD
RipCount(HANDLE hEnum)
{
    BYTE buffer[ROUTE_SIZE];
    DWORD n = 0;

    while (RTM_ENUMERATE(hEnum, (PRTM_IP_ROUTE)buffer) == NO_ERROR) {
        n++;
    }
    return n;
}

DWORD
RipConfigure(PRTM_IP_ROUTE routes, DWORD count)
{
    DWORD i;

    for (i = 0; i < count; i++) {
        RipAddStatic(&routes[i]);
    }
    RipMove(&routes[0], &routes[1]);
    return RipCount(NULL) + BEST_ONLY;
}
