/*
 * broken.c: RTMv1 code that does not compile: missing semicolons, an #ifdef that splits braces, macros nobody
 * defines, an MFC message map, structured exception handling. Written for the rtmcompat scanner tests.
 */
#include <windows.h>
#include "RTM.H"
#include "ripdefs.h"

RIP_DECLARE_MODULE(rip)

DWORD
RIPAPI
RipUpdateRoutes(PRIP_IF pIf, DWORD count)
{
    RTM_IP_ROUTE route;
    DWORD flags, i;

    for (i = 0; i < count; i++) {
        BuildRoute(&route, pIf, i)
        RtmAddRoute(pIf->hRtm, &route, 180, &flags, NULL, NULL);
    }
#ifdef RIP_STRICT
    if (pIf->dwState == IF_UP) {
#else
    if (pIf->dwState != IF_DOWN) {
#endif
        RtmBlockDeleteRoutes(pIf->hRtm, RTM_ONLY_THIS_INTERFACE | RTM_ONLY_THIS_PROTOCOL, &route);
    }
    return NO_ERROR;
}

VOID
RipSafeDequeue(HANDLE hClient)
{
    DWORD flags;
    RTM_IP_ROUTE current, previous;

    __try {
        RtmDequeueRouteChangeMessage(hClient, &flags, &current, &previous);
    }
    __except (EXCEPTION_EXECUTE_HANDLER) {
        RIP_LOG_ERROR(GetExceptionCode())
    }
}

BEGIN_MESSAGE_MAP(CRipDialog, CDialog)
    ON_BN_CLICKED(IDC_REFRESH, OnRefresh)
    ON_WM_TIMER()
END_MESSAGE_MAP()

void
CRipDialog_OnRefresh(CRipDialog *self)
{
    RTM_IP_ROUTE route;

    if (RtmGetFirstRoute(RTM_PROTOCOL_FAMILY_IP, RTM_ONLY_BEST_ROUTES, &route) == NO_ERROR) {
        self->ShowRoute(&route)
    }
    RtmDeregisterClient(self->hClient)
}

#if 0
VOID
RipOldCleanup(VOID)
{
    RtmDeleteRoute(hOld, &oldRoute, &flags, NULL);
}
#endif
