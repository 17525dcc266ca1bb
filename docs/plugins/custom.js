// Search results read "@imauth/tencent/client › createTencentImClient": TypeDoc joins the parent and the name
// with a dot, which makes an import path look like a property access.
(() => {
  const fix = (root) => {
    for (const span of root.querySelectorAll(".parent:not([data-imauth])")) {
      span.dataset.imauth = "1";
      span.innerHTML = `${span.innerHTML.replace(/\.\s*$/, "").trim()} › `;
    }
  };
  const start = () => {
    const results = document.getElementById("tsd-search-results");
    if (!results) return;
    new MutationObserver(() => fix(results)).observe(results, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
