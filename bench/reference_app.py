"""The framework's floor, served like the dashboard: one plotly chart and one st.dataframe (with a
sidebar multiselect and a clickable chart, for its own reruns), and a one-line page.

Run by bench/browser.py under `streamlit run`; not part of the product.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

PROVINCES = ["Bologna", "Ferrara", "Forlì-Cesena", "Modena", "Ravenna", "Rimini"]
FLOOR_TITLE = "Floor"
LINE_TITLE = "One line"


def floor() -> None:
    """One plotly chart and one st.dataframe, narrowed by a sidebar multiselect."""
    st.title(FLOOR_TITLE)
    chosen = st.sidebar.multiselect("Province", PROVINCES, default=PROVINCES[:1])
    months = pd.date_range("2025-01-01", periods=12, freq="MS")
    frame = pd.DataFrame(
        {
            "month": list(months) * max(len(chosen), 1),
            "province": [p for p in chosen or ["-"] for _ in months],
            "value": [70 + (i % 12) + 3 * (i // 12) for i in range(12 * max(len(chosen), 1))],
        }
    )
    figure = go.Figure(
        [
            go.Scatter(x=part["month"], y=part["value"], name=name, mode="lines+markers")
            for name, part in frame.groupby("province")
        ]
    )
    st.plotly_chart(figure, on_select="rerun", selection_mode=("points",), key="floor_chart")
    st.dataframe(frame)


def one_line() -> None:
    """A page of one line."""
    st.title(LINE_TITLE)


st.navigation(
    [
        st.Page(floor, title=FLOOR_TITLE, default=True),
        st.Page(one_line, title=LINE_TITLE, url_path="line"),
    ]
).run()
