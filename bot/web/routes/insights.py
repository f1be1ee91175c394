"""Service insights for managers and admins: the page, its figures as JSON, each chart as CSV."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bot.insights import catalogue as cat
from bot.insights import page, queries
from bot.web.deps import get_runtime, manager, manager_page
from bot.web.errors import Problem, not_found
from bot.web.runtime import Runtime
from bot.web.services import insights
from bot.web.services.staff_auth import SignedIn
from bot.web.templating import render

router = APIRouter(prefix="/staff", include_in_schema=False)


def _filters(rt: Runtime = Depends(get_runtime), start: str = "", end: str = "",
             service: str = "", channel: str = "") -> queries.Filters:
    return insights.filters(rt, start, end, service, channel)


@router.get("/insights", response_class=HTMLResponse)
def insights_page(request: Request, user: SignedIn = Depends(manager_page),
                  rt: Runtime = Depends(get_runtime), start: str = "", end: str = "",
                  service: str = "", channel: str = "") -> Response:
    try:
        f = insights.filters(rt, start, end, service, channel)
        error = None
    except Problem as problem:
        f, error = insights.filters(rt), problem.message
    figures = insights.overview(rt, f)
    return render(request, "staff/insights.html", user, filters=f, error=error,
                  headlines=page.headlines(figures), charts=page.charts(figures),
                  comments=figures["comments"],
                  query=insights.query_string(f), services=cat.SERVICES,
                  service_labels=cat.SERVICE_LABELS, channels=cat.CHANNELS,
                  status_code=422 if error else 200)


@router.get("/insights.json")
def insights_json(_user: SignedIn = Depends(manager), rt: Runtime = Depends(get_runtime),
                  f: queries.Filters = Depends(_filters)) -> dict:
    return {"filters": insights.query_dict(f), **insights.overview(rt, f)}


@router.get("/insights/{chart_id}.csv")
def chart_csv(chart_id: str, _user: SignedIn = Depends(manager),
              rt: Runtime = Depends(get_runtime),
              f: queries.Filters = Depends(_filters)) -> Response:
    chart = next((c for c in page.charts(insights.overview(rt, f)) if c.id == chart_id), None)
    if chart is None:
        raise not_found("chart")
    name = f"{chart_id}_{f.start.isoformat()}_{f.end.isoformat()}.csv"
    return Response(chart.csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
