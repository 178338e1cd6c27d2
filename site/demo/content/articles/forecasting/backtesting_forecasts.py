"""Demo article: backtesting forecasts properly (topic: forecasting)."""

_BACKTEST_CODE = '''\
import pandas as pd


def backtest(df, fit_predict, cutoffs, horizon=28, latency_days=2):
    """Rolling-origin backtest on a long frame with columns series_id, date, y.

    A cutoff is the last day of data a production run would have seen. The run
    happens latency_days later and forecasts `horizon` days from the day after.
    fit_predict(train, future_dates) must return series_id, date, yhat.
    """
    results = []
    for cutoff in cutoffs:
        train = df[df["date"] <= cutoff]
        first_day = cutoff + pd.Timedelta(days=1 + latency_days)
        future_dates = pd.date_range(first_day, periods=horizon, freq="D")
        fc = fit_predict(train, future_dates)
        fc["cutoff"] = cutoff
        fc["step"] = (fc["date"] - first_day).dt.days + 1
        results.append(fc)
    fc = pd.concat(results, ignore_index=True)
    return fc.merge(df[["series_id", "date", "y"]], on=["series_id", "date"], how="inner")


def seasonal_naive(train, future_dates):
    """Forecast each day with the same weekday of the last observed week."""
    last_week = train[train["date"] > train["date"].max() - pd.Timedelta(days=7)]
    last_week = last_week.assign(dow=last_week["date"].dt.day_of_week)
    grid = pd.MultiIndex.from_product(
        [train["series_id"].unique(), future_dates], names=["series_id", "date"]
    ).to_frame(index=False)
    grid["dow"] = grid["date"].dt.day_of_week
    fc = grid.merge(last_week[["series_id", "dow", "y"]], on=["series_id", "dow"], how="left")
    return fc.rename(columns={"y": "yhat"}).drop(columns="dow")


def wape_by_step(bt):
    """Weighted absolute percentage error per forecast step, pooled over series and cutoffs."""
    err = (bt["y"] - bt["yhat"]).abs()
    return err.groupby(bt["step"]).sum() / bt["y"].groupby(bt["step"]).sum()


cutoffs = pd.date_range("2022-07-03", "2023-06-25", freq="W-SUN")  # data through Sunday
baseline = backtest(sales, seasonal_naive, cutoffs)
candidate = backtest(sales, my_model, cutoffs)
print((wape_by_step(candidate) / wape_by_step(baseline)).round(2))  # < 1.0 beats naive
'''

ARTICLE = {
    "slug": "backtesting-forecasts-properly",
    "title": "Backtesting Forecasts Properly: Rolling Origins, Data Latency and Honest Baselines",
    "date": "2023-09-14",
    "reviewed_days_ago": 20,
    "applies_to": "pandas 2.2, statsforecast 1.7",
    "summary": (
        "A single train/test split tells you very little about a forecasting model. How I set up "
        "rolling-origin backtests that respect data latency and what was actually known at forecast "
        "time, compare against a naive baseline, and report error by horizon."
    ),
    "search_description": (
        "How to backtest forecasting models: rolling-origin evaluation, data latency, leakage, "
        "naive baselines and WAPE by horizon, with a pandas harness."
    ),
    "body": [
        {
            "type": "heading",
            "value": {"text": "One split is one anecdote", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>The most common forecasting evaluation I see in client code is a single split: train "
                "on everything before some date, test on the four weeks after it, report one number. That "
                "number is an anecdote. It depends on which four weeks you picked, whether they contained "
                "Easter, and whether a big promotion happened to fall inside them. Two models can swap "
                "places just by moving the split a week.</p>"
                "<p>A proper backtest replays history the way production would have lived it: many "
                "forecast origins, each using only what was known at that moment, each forecasting the same "
                "horizon the business actually uses. It is more work to set up once, and it is the only "
                "evaluation I trust when deciding whether a model change goes live.</p>"
            ),
        },
        {"type": "heading", "value": {"text": "Rolling origins", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<p>Pick a sequence of cutoffs. At each one, train on data up to the cutoff, forecast the "
                "next <i>h</i> periods, and store the forecasts alongside the actuals. Then move the cutoff "
                "forward and repeat. A few choices matter more than people expect:</p>"
                "<ul>"
                "<li><b>Cutoffs follow the production schedule.</b> If the weekly run sees data through "
                "Sunday, backtest from Sundays. Day-of-week effects interact with the horizon, and a "
                "Thursday backtest measures a different problem.</li>"
                "<li><b>Cover a full seasonal cycle.</b> For retail that means at least a year of weekly "
                "cutoffs, so Christmas, Easter and the summer dip all appear in the test windows.</li>"
                "<li><b>Expanding or sliding window.</b> An expanding window uses all history; a sliding "
                "window keeps a fixed length. Use whichever production uses. If production retrains "
                "monthly, retrain monthly in the backtest too and reuse the model for the cutoffs in "
                "between.</li>"
                "</ul>"
                "<p>scikit-learn's <code>TimeSeriesSplit</code> with its <code>gap</code> and "
                "<code>test_size</code> arguments covers the simplest case. For panels of many series with "
                "real calendars I write the loop myself; it is short.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Respect what was known at the cutoff", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>Leakage in forecasting is rarely the target itself. It comes in through the side "
                "door:</p>"
                "<ul>"
                "<li><b>Data latency.</b> Sunday's sales often land in the warehouse on Tuesday, so the "
                "Tuesday run forecasts from Wednesday with nothing after Sunday. The backtest must do the "
                "same; that is what <code>latency_days</code> in the harness below is for.</li>"
                "<li><b>Plans versus actuals.</b> The promotion calendar you train on is the one that "
                "happened, with cancelled promotions removed and last-minute ones added. At forecast time "
                "you only had the plan. Join features as of the cutoff, with "
                "<code>pd.merge_asof</code> or a snapshot table, not from the cleaned history.</li>"
                "<li><b>Restated data.</b> Returns, late deliveries and corrections rewrite history for "
                "weeks afterwards. Backtesting on the final version flatters every model a little.</li>"
                "<li><b>Master data.</b> Product hierarchies and store clusters change. Today's category "
                "assignment applied to last year's data quietly leaks information from the future.</li>"
                "</ul>"
            ),
        },
        {"type": "heading", "value": {"text": "A small harness", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<p>This is the skeleton I start from for daily data in long format. The model is any "
                "function that takes the visible history and the dates to forecast; the seasonal naive "
                "baseline goes through exactly the same loop.</p>"
            ),
        },
        {"type": "code", "value": {"language": "python", "source": _BACKTEST_CODE}},
        {
            "type": "paragraph",
            "value": (
                "<p>Two details are deliberate. The merge with the actuals is an inner join, so days "
                "without actuals drop out instead of counting as zero error. And the output keeps "
                "<code>cutoff</code> and <code>step</code>, so you can slice the error by origin and by "
                "horizon afterwards instead of rerunning anything.</p>"
            ),
        },
        {
            "type": "heading",
            "value": {"text": "Metrics and baselines", "level": "h2", "anchor": ""},
        },
        {
            "type": "paragraph",
            "value": (
                "<p>For demand I report <b>WAPE</b>, the sum of absolute errors divided by the sum of "
                "actuals. Unlike MAPE it does not explode on slow movers with zero or near-zero sales, and "
                "it weights items by volume, which is roughly how the business feels errors. Next to it I "
                "report <b>bias</b>, the signed error as a share of actuals, because a model that is "
                "consistently 5% high has a different operational cost from one that is noisy around the "
                "truth.</p>"
                "<p>Always report error <b>by horizon</b>. A single average hides the fact that a model can "
                "be excellent for the first week and worse than naive in week four, which matters a lot if "
                "week four is the lead time of your longest supplier.</p>"
                "<p>And always report <b>relative to a naive baseline</b> run through the same harness. "
                "Seasonal naive is embarrassingly hard to beat on some series, and a ratio below 1.0 is a "
                "much more honest claim than an absolute WAPE with no context.</p>"
            ),
        },
        {
            "type": "callout",
            "value": {
                "kind": "warning",
                "text": (
                    "<p>If you tune hyperparameters on the same cutoffs you report, the backtest stops "
                    "being an estimate of future error. Tune on the earlier cutoffs and report on the "
                    "later ones, and keep the reporting window untouched until the decision is made.</p>"
                ),
            },
        },
        {"type": "heading", "value": {"text": "What it buys you", "level": "h2", "anchor": ""}},
        {
            "type": "paragraph",
            "value": (
                "<p>Once the harness exists, every question about a model change gets the same shape of "
                "answer: error by horizon, by origin and by segment, against the same baseline. On one "
                "engagement that turned model reviews from weeks of argument into an afternoon. It also "
                "makes other work testable, such as "
                '<a linktype="page" id="slug:hierarchical-forecast-reconciliation">reconciling '
                "forecasts across a hierarchy</a>, where the benefit shows up at some levels and not "
                "others.</p>"
            ),
        },
    ],
}
