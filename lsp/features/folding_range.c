/* folding_range.c — textDocument/foldingRange, from the buffer's syntax tree. */
#include "feature.h"
#include "folds.h"

#include <stdlib.h>

static const char *const kind_names[] = {
	[FOLD_REGION] = "region", [FOLD_COMMENT] = "comment", [FOLD_IMPORTS] = "imports",
};

void folding_range_request(struct feature_ctx *ctx, const json_t *id, const json_t *params)
{
	struct document *doc = feature_document(ctx, id, params);
	if (!doc)
		return;
	json_t *result = json_array();
	struct fold_list folds = { 0 };
	if (doc->syntax)
		folds_ranges(doc->syntax, &folds);
	struct text_view v = document_view(doc);
	enum pos_encoding enc = ctx->enc;
	for (uint32_t i = 0; i < folds.len; i++) {
		struct lsp_pos a = position_from_offset(v.text, v.len, v.lines, folds.items[i].start, enc);
		struct lsp_pos b = position_from_offset(v.text, v.len, v.lines, folds.items[i].end, enc);
		if (b.line <= a.line)
			continue;
		json_array_append_new(result, json_pack("{s:I, s:I, s:s}",
			"startLine", (json_int_t)a.line, "endLine", (json_int_t)b.line,
			"kind", kind_names[folds.items[i].kind]));
	}
	array_free(&folds);
	channel_reply(ctx->ch, id, result);
}
