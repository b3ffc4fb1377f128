// Large print (大字), remembered on this phone: set before the page is drawn, so it never flashes small first.
try { if (localStorage.getItem("lht-large-print") === "1") { document.documentElement.classList.add("lht-large"); } } catch (e) { /* private mode */ }
