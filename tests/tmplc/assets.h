/* Stands in for build/gen/assets.h in scripts/test-tmplc.sh. */
#ifndef PRAXIS_TESTS_TMPLC_ASSETS_H
#define PRAXIS_TESTS_TMPLC_ASSETS_H

#define ASSET_app_css     "/assets/app.0123456789abcdef.css"
#define ASSET_favicon_svg "/assets/favicon.0123456789abcdef.svg"
#define ASSET_htmx_min_js "/assets/htmx.min.0123456789abcdef.js"

#endif
