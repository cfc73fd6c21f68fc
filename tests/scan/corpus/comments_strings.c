/*
 * comments_strings.c: this module used to call RtmAddRoute and RtmDeleteRoute directly (see RTM_IP_ROUTE in
 * rtm.h); RtmRegisterClient(RTM_PROTOCOL_FAMILY_IP, ...) is now done by the router manager. Only its strings
 * name RTMv1 functions. Written for the rtmcompat scanner tests.
 */
#include <windows.h>

// #include <rtm.h>
// RtmDequeueRouteChangeMessage is gone, and RTM_ROUTE_CHANGED with it.

typedef DWORD (WINAPI *ADD_ROUTE_FN)(HANDLE, PVOID, DWORD, DWORD *, PVOID, PVOID);

static const char *g_names[] = {
    "RtmAddRoute",
    "RtmBlockConvertRoutesToStatic",
};

ADD_ROUTE_FN
LoadAddRoute(VOID)
{
    HMODULE hRtm = LoadLibraryA("rtm.dll");  /* RtmAddRoute lives in rtm.dll */

    if (hRtm == NULL) {
        LogError("cannot load rtm.dll for RtmAddRoute");
        return NULL;
    }
    return (ADD_ROUTE_FN)GetProcAddress(hRtm, "RtmAddRoute");
}

VOID
Explain(VOID)
{
    /* RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, &route); */
    printf("RtmGetFirstRoute with RTM_ONLY_BEST_ROUTES is not used any more\n");
    wprintf(L"see RtmAddRouteToDest\n");
}
