/* motcua portal: small progressive enhancements; every page works without it. */
'use strict';
document.addEventListener('submit', function (e) {
	var f = e.target;
	var msg = f.getAttribute('data-confirm');
	if (msg && !window.confirm(msg)) e.preventDefault();
});
document.addEventListener('click', function (e) {
	var t = e.target;
	if (t && t.matches && t.matches('button[data-print]')) window.print();
});
