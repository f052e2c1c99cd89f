/*
 * The data documents are rendered from: value trees (model/mustache.h) built
 * from the catalogue and, later, from cases and notices. Key names are the
 * contract with the templates in print_templates/; each builder documents its keys.
 */
#ifndef YC_DOCDATA_H
#define YC_DOCDATA_H

#include <time.h>

#include "model/catalogue.h"
#include "model/mustache.h"

/*
 * The 办事指南 of a case type, printable before any case exists: office
 * (may be ""), date, version, code, name, category, local, tiers, limit;
 * has_stages, stages[] {no, name, tier, days}; 承诺制: has_pledge,
 * pledge_name, pledge_replaced[] {name, form, …} (the proofs a signed
 * pledge replaces); materials[] {no, any_of, name, form, key, deferrable,
 * defer_days, note, pledge, options[] {letter, name, form, key,
 * deferrable, defer_days, note, pledge, replaces ("a、b" for a pledge)}};
 * proxy_allowed, proxy[] {name, form, note}; steps[] {no, text};
 * standard; source. Caller frees.
 */
struct mu_value *docdata_guide(const struct cat_def *d, int version, const char *office,
    const char *date);

/* The day of t in China as printed documents write it (GB/T 9704: no
 * leading zeros): "2026年1月5日". */
void docdata_date(time_t t, char out[64]);

#endif
