"""Figure builders shared by pages and reports (plotly only, no streamlit), one module each:
`gantt` and `workload` (the Schedule page), `trends` (Progress and Review), `heatmaps` (what
tactics and items serve), on `axes` (the shared layout, week ticks and wrapped labels).

Every builder is importable from here, as pages and helpers have always imported them.
"""

from planner.ui.charts.axes import LABEL_CHARS as LABEL_CHARS
from planner.ui.charts.axes import MAX_DATE_TICKS as MAX_DATE_TICKS
from planner.ui.charts.axes import week_ticks as week_ticks
from planner.ui.charts.axes import wrap_label as wrap_label
from planner.ui.charts.gantt import gantt_chart as gantt_chart
from planner.ui.charts.heatmaps import coverage_heatmap as coverage_heatmap
from planner.ui.charts.heatmaps import serving_heatmap as serving_heatmap
from planner.ui.charts.trends import small_multiples as small_multiples
from planner.ui.charts.trends import trend_chart as trend_chart
from planner.ui.charts.workload import workload_chart as workload_chart
