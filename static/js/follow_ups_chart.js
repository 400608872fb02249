// The follow-ups dashboard's chart: weeks of recalls due, stacked by what became of them.
// Colours come from the stylesheet's variables (dashboard.css), so the chart and the
// tiles beside it always agree.
(function () {
  var canvas = document.getElementById("due-chart");
  var source = document.getElementById("chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var style = getComputedStyle(document.documentElement);
  var colour = function (name) { return style.getPropertyValue(name).trim(); };
  var bar = function (label, values, fill) {
    return { label: label, data: values, backgroundColor: fill, stack: "due", borderWidth: 0 };
  };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        bar("Booked", data.booked, colour("--chart-booked")),
        bar("Reminded, not booked", data.reminded, colour("--chart-reminded")),
        bar("Not reminded yet", data.pending, colour("--chart-pending"))
      ]
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { position: "top", align: "start" } },
      scales: {
        x: { stacked: true, title: { display: true, text: "Week starting (Monday)" } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "Follow-ups due" } }
      }
    }
  });
})();
