// The SVG map of /kaart (ui/kaart/map_chart.py). Its data: the bytes of one JSON text with the
// figure (plotly's JSON), the plotly config and the URL of plotly's geo bundle, which is loaded
// once per page and draws it. A click on an area or a marker is sent back as the trigger
// "select", in the shape of st.plotly_chart's selection.
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
        reject(new Error(`plotly's geo bundle did not load: ${src}`));
      };
      document.head.appendChild(script);
    });
  }
  return loading[src];
}

export default function ({ data: bytes, parentElement, setTriggerValue }) {
  const holder = parentElement.querySelector(".wijkimpact-kaart");
  const data = JSON.parse(new TextDecoder().decode(bytes));
  const figure = data.figure;
  const layout = figure.layout || {};
  holder.style.height = `${layout.height || 620}px`;
  // the page's font and colours (Streamlit's theme, as CSS properties around the component),
  // as st.plotly_chart draws its charts
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
  plotly(data.bundle)
    .then((Plotly) => {
      if (gone) return undefined;
      const config = { ...data.config, responsive: true };
      return Plotly.react(holder, figure.data, { ...layout, font, hoverlabel }, config);
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
      holder.textContent = error.message;
    });
  return () => {
    gone = true;
  };
}
