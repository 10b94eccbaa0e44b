// The SVG map of /kaart (ui/kaart/map_chart.py). Its data: the bytes of one JSON text with the
// figure (plotly's JSON), the plotly config, the URL of plotly's geo bundle and the message
// for a map that cannot be drawn. The bundle is loaded once per page, the areas' GeoJSON file
// at the same time; then plotly draws the figure. A click on an area or a marker is sent back
// as the trigger "select", in the shape of st.plotly_chart's selection.
const loading = {};

function plotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading[src]) {
    loading[src] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        delete loading[src];
        reject(new Error(`${src}: not loaded`));
      };
      document.head.appendChild(script);
    });
  }
  return loading[src];
}

// The GeoJSON files the traces name, fetched once per page into plotly's own store of them
// (window.PlotlyGeoAssets, which plotly reads before fetching). Left to plotly, the second and
// third trace of one file wait for the first one's fetch for at most 5 s and then fail the
// whole map: on a busy machine a 1.1 MB file can take longer (20 browsers on 2 cores).
function shapes(traces) {
  // made as plotly makes it when it loads and finds none (with its world maps' store)
  window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
  const store = window.PlotlyGeoAssets;
  const urls = new Set(traces.map((trace) => trace.geojson).filter((g) => typeof g === "string"));
  return Promise.all(
    [...urls].map((url) => {
      if (store[url] && store[url] !== "pending") return store[url];
      if (!loading[url]) {
        loading[url] = fetch(url)
          .then((answer) => {
            if (!answer.ok) throw new Error(`${url}: ${answer.status}`);
            return answer.json();
          })
          .then((geojson) => {
            store[url] = geojson;
            return geojson;
          })
          .finally(() => delete loading[url]);
      }
      return loading[url];
    }),
  );
}

export default function ({ data: bytes, parentElement, setTriggerValue }) {
  const holder = parentElement.querySelector(".wijkimpact-kaart");
  const data = JSON.parse(new TextDecoder().decode(bytes));
  const figure = data.figure;
  const layout = figure.layout || {};
  holder.style.height = `${layout.height || 620}px`;
  // the page's font and colours, as st.plotly_chart draws its charts: Streamlit's theme as CSS
  // properties around the component (--st-..., documented for components v2, dark or light)
  const page = getComputedStyle(holder);
  const theme = (name, otherwise) => page.getPropertyValue(name).trim() || otherwise;
  const text = theme("--st-text-color", page.color);
  const font = { family: theme("--st-font", page.fontFamily), color: text, ...layout.font };
  const hoverlabel = {
    bgcolor: theme("--st-background-color", "white"),
    bordercolor: theme("--st-border-color", "#d5dae5"),
    font: { family: font.family, color: text },
    ...layout.hoverlabel,
  };
  let gone = false;
  Promise.all([plotly(data.bundle), shapes(figure.data)])
    .then(([Plotly]) => {
      if (gone) return undefined;
      const config = { ...data.config, responsive: true };
      const paper = layout.paper_bgcolor || theme("--st-background-color", "white");
      const themed = { ...layout, font, hoverlabel, paper_bgcolor: paper };
      return Plotly.react(holder, figure.data, themed, config);
    })
    .then((drawn) => {
      if (!drawn || holder.dataset.clicks) return;
      holder.dataset.clicks = "1";
      drawn.on("plotly_click", (event) => {
        const points = event.points.map((point) => ({
          location: point.location ?? null,
          customdata: point.customdata ?? null,
        }));
        setTriggerValue("select", { selection: { points } });
      });
    })
    .catch((error) => {
      console.error("Wijkimpact, kaart:", error);
      holder.textContent = data.failed;
    });
  return () => {
    gone = true;
  };
}
