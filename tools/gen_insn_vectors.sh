#!/bin/sh
# Regenerates corpus/vectors/insn.tsv: the encodings come from the GNU
# assembler (aarch64-linux-gnu-as); every expected column is written by
# hand below from the Arm ARM (C6.2 instruction pages for decode, D24.2.46
# for the ISS), never from hvexit's decoder.
# Columns of the spec lines: asm | class | mnemonic | dir | size | sext | sf | rt | rn | wb | imm | isv | iss | ref
# dir: L load, S store, A atomic (load+store), N no access. wb: none/pre/post.
# iss: sas/sse/srt/sf/ar/wnr when isv=1, else -.
set -e
spec=$(mktemp); asm=$(mktemp); obj=$(mktemp)
cat > "$spec" <<'SPEC'
ldr x1, [x2, #8]|uimm|LDR|L|3|0|1|1|2|none|8|1|3/0/1/1/0/0|C6.2 LDR (immediate) unsigned offset
ldr w0, [sp]|uimm|LDR|L|2|0|0|0|31|none|0|1|2/0/0/0/0/0|C6.2 LDR (immediate), Rn=31 is SP
ldrb w5, [x6, #4095]|uimm|LDRB|L|0|0|0|5|6|none|4095|1|0/0/5/0/0/0|C6.2 LDRB (immediate)
ldrh w7, [x8, #2]|uimm|LDRH|L|1|0|0|7|8|none|2|1|1/0/7/0/0/0|C6.2 LDRH (immediate)
ldrsb w3, [x4]|uimm|LDRSB|L|0|1|0|3|4|none|0|1|0/1/3/0/0/0|C6.2 LDRSB 32-bit
ldrsb x3, [x4]|uimm|LDRSB|L|0|1|1|3|4|none|0|1|0/1/3/1/0/0|C6.2 LDRSB 64-bit
ldrsh x9, [x10, #6]|uimm|LDRSH|L|1|1|1|9|10|none|6|1|1/1/9/1/0/0|C6.2 LDRSH 64-bit
ldrsw x11, [x12, #12]|uimm|LDRSW|L|2|1|1|11|12|none|12|1|2/1/11/1/0/0|C6.2 LDRSW (immediate)
str xzr, [x1, #16]|uimm|STR|S|3|0|1|31|1|none|16|1|3/0/31/1/0/1|C6.2 STR (immediate), Rt=31 is XZR
strb w2, [x3]|uimm|STRB|S|0|0|0|2|3|none|0|1|0/0/2/0/0/1|C6.2 STRB (immediate)
strh w4, [x5, #8]|uimm|STRH|S|1|0|0|4|5|none|8|1|1/0/4/0/0/1|C6.2 STRH (immediate)
ldrsb w3, [x4, #-1]!|pre|LDRSB|L|0|1|0|3|4|pre|-1|0|-|C6.2 LDRSB pre-index: writeback -> ISV=0 (D24.2.46)
ldrsh x5, [x6], #2|post|LDRSH|L|1|1|1|5|6|post|2|0|-|C6.2 LDRSH post-index: writeback -> ISV=0
str x1, [sp, #-16]!|pre|STR|S|3|0|1|1|31|pre|-16|0|-|C6.2 STR pre-index
ldur w1, [x2, #-3]|unscaled|LDUR|L|2|0|0|1|2|none|-3|1|2/0/1/0/0/0|C6.2 LDUR
sturh w1, [x2, #255]|unscaled|STURH|S|1|0|0|1|2|none|255|1|1/0/1/0/0/1|C6.2 STURH
ldursw x3, [x4, #-256]|unscaled|LDURSW|L|2|1|1|3|4|none|-256|1|2/1/3/1/0/0|C6.2 LDURSW
ldtr x1, [x2, #8]|unpriv|LDTR|L|3|0|1|1|2|none|8|1|3/0/1/1/0/0|C6.2 LDTR
sttrb w3, [x4]|unpriv|STTRB|S|0|0|0|3|4|none|0|1|0/0/3/0/0/1|C6.2 STTRB
ldtrsh w5, [x6, #-2]|unpriv|LDTRSH|L|1|1|0|5|6|none|-2|1|1/1/5/0/0/0|C6.2 LDTRSH 32-bit
ldr w8, [x9, w10, sxtw #2]|regoff|LDR|L|2|0|0|8|9|none|0|1|2/0/8/0/0/0|C6.2 LDR (register) SXTW
ldrb w1, [x2, x3]|regoff|LDRB|L|0|0|0|1|2|none|0|1|0/0/1/0/0/0|C6.2 LDRB (register)
str x4, [x5, x6, lsl #3]|regoff|STR|S|3|0|1|4|5|none|0|1|3/0/4/1/0/1|C6.2 STR (register)
ldrsh w7, [x8, w9, uxtw #1]|regoff|LDRSH|L|1|1|0|7|8|none|0|1|1/1/7/0/0/0|C6.2 LDRSH (register)
ldr x1, .+8|literal|LDR|L|3|0|1|1|0|none|8|1|3/0/1/1/0/0|C6.2 LDR (literal)
ldrsw x2, .-4|literal|LDRSW|L|2|1|1|2|0|none|-4|1|2/1/2/1/0/0|C6.2 LDRSW (literal)
prfm pldl1keep, [x1]|uimm|PRFM|N|3|0|0|0|1|none|0|0|-|C6.2 PRFM (immediate): no data access
ldp x1, x2, [x3, #16]!|pair_pre|LDP|L|3|0|1|1|3|pre|16|0|-|C6.2 LDP pre-index: pair -> ISV=0
ldpsw x4, x5, [x6], #-8|pair_post|LDPSW|L|2|1|1|4|6|post|-8|0|-|C6.2 LDPSW post-index
stp w1, w2, [sp, #-8]|pair_off|STP|S|2|0|0|1|31|none|-8|0|-|C6.2 STP signed offset
ldnp x7, x8, [x9, #32]|pair_na|LDNP|L|3|0|1|7|9|none|32|0|-|C6.2 LDNP
ldp q0, q1, [x2, #-32]|pair_off|LDP|L|4|0|0|0|2|none|-32|0|-|C6.3 LDP (SIMD&FP) 128-bit
ldar w1, [x2]|ordered|LDAR|L|2|0|0|1|2|none|0|1|2/0/1/0/1/0|C6.2 LDAR: AR=1
stlr x3, [sp]|ordered|STLR|S|3|0|1|3|31|none|0|1|3/0/3/1/1/1|C6.2 STLR
ldarb w4, [x5]|ordered|LDARB|L|0|0|0|4|5|none|0|1|0/0/4/0/1/0|C6.2 LDARB
stlrh w6, [x7]|ordered|STLRH|S|1|0|0|6|7|none|0|1|1/0/6/0/1/1|C6.2 STLRH
ldlar x1, [x2]|ordered|LDLAR|L|3|0|1|1|2|none|0|1|3/0/1/1/1/0|C6.2 LDLAR (FEAT_LOR)
ldapr w1, [x2]|ldapr|LDAPR|L|2|0|0|1|2|none|0|1|2/0/1/0/1/0|C6.2 LDAPR (FEAT_LRCPC)
ldapur x3, [x4, #-8]|rcpc_unscaled|LDAPUR|L|3|0|1|3|4|none|-8|1|3/0/3/1/1/0|C6.2 LDAPUR (FEAT_LRCPC2)
ldapursb x5, [x6, #1]|rcpc_unscaled|LDAPURSB|L|0|1|1|5|6|none|1|1|0/1/5/1/1/0|C6.2 LDAPURSB 64-bit
stlur w7, [x8, #4]|rcpc_unscaled|STLUR|S|2|0|0|7|8|none|4|1|2/0/7/0/1/1|C6.2 STLUR
ldaxr x1, [x2]|excl|LDAXR|L|3|0|1|1|2|none|0|0|-|C6.2 LDAXR: exclusive -> ISV=0
stlxr w3, x4, [x5]|excl|STLXR|S|3|0|1|4|5|none|0|0|-|C6.2 STLXR
ldxrb w6, [x7]|excl|LDXRB|L|0|0|0|6|7|none|0|0|-|C6.2 LDXRB
ldxp x1, x2, [x3]|excl_pair|LDXP|L|3|0|1|1|3|none|0|0|-|C6.2 LDXP
stlxp w4, w5, w6, [x7]|excl_pair|STLXP|S|2|0|0|5|7|none|0|0|-|C6.2 STLXP 32-bit
ldadd w1, w2, [x3]|atomic|LDADD|A|2|0|0|2|3|none|0|0|-|C6.2 LDADD (FEAT_LSE): atomic -> ISV=0
ldsetal x4, x5, [x6]|atomic|LDSETAL|A|3|0|1|5|6|none|0|0|-|C6.2 LDSETAL
swpb w7, w8, [x9]|atomic|SWPB|A|0|0|0|8|9|none|0|0|-|C6.2 SWPB
ldumaxlh w1, w2, [x3]|atomic|LDUMAXLH|A|1|0|0|2|3|none|0|0|-|C6.2 LDUMAXLH
casal x1, x2, [x3]|cas|CASAL|A|3|0|1|2|3|none|0|0|-|C6.2 CASAL
casb w4, w5, [x6]|cas|CASB|A|0|0|0|5|6|none|0|0|-|C6.2 CASB
caspa x0, x1, x2, x3, [x4]|casp|CASPA|A|3|0|1|2|4|none|0|0|-|C6.2 CASPA
ldraa x1, [x2, #8]|pac|LDRAA|L|3|0|1|1|2|none|8|1|3/0/1/1/0/0|C6.2 LDRAA (FEAT_PAuth) no writeback
ldrab x3, [x4, #-16]!|pac|LDRAB|L|3|0|1|3|4|pre|-16|0|-|C6.2 LDRAB pre-index
ldr q1, [x2, #16]|uimm|LDR|L|4|0|0|1|2|none|16|0|-|C6.3 LDR (immediate, SIMD&FP): ISV=0
str d3, [x4], #8|post|STR|S|3|0|0|3|4|post|8|0|-|C6.3 STR (immediate, SIMD&FP) post
ldr b5, [x6, x7]|regoff|LDR|L|0|0|0|5|6|none|0|0|-|C6.3 LDR (register, SIMD&FP)
ldur h8, [x9, #-1]|unscaled|LDUR|L|1|0|0|8|9|none|-1|0|-|C6.3 LDUR (SIMD&FP)
ldr s10, .+16|literal|LDR|L|2|0|0|10|0|none|16|0|-|C6.3 LDR (literal, SIMD&FP)
ld1 {v0.4s, v1.4s}, [x1], #32|simd_mult_post|LD1|L|2|0|0|0|1|post|32|0|-|C6.3 LD1 (multiple structures)
st4 {v0.8b, v1.8b, v2.8b, v3.8b}, [x5]|simd_mult|ST4|S|0|0|0|0|5|none|0|0|-|C6.3 ST4 (multiple structures)
ld1 {v2.s}[1], [x3]|simd_single|LD1|L|2|0|0|2|3|none|0|0|-|C6.3 LD1 (single structure)
ld2r {v4.8h, v5.8h}, [x6], #4|simd_single_post|LD2R|L|1|0|0|4|6|post|4|0|-|C6.3 LD2R
st1 {v7.d}[1], [x8], x9|simd_single_post|ST1|S|3|0|0|7|8|post|0|0|-|C6.3 ST1 (single structure) register post-index
dc zva, x5|dc|DC ZVA|S|6|0|0|5|5|none|0|0|-|C5.3 DC ZVA: writes a block, ISV=0
dc civac, x1|dc|DC|N|0|0|0|1|1|none|0|0|-|C5.3 DC CIVAC: no data access
SPEC
cut -d'|' -f1 "$spec" > "$asm"
aarch64-linux-gnu-as -march=armv8.7-a+ls64+rcpc+pauth -o "$obj" "$asm"
aarch64-linux-gnu-objdump -d "$obj" | awk -F'\t' '/^ *[0-9a-f]+:/ { print $2 }' | tr -d ' ' > "$asm.words"
{
	printf '# word\tasm\tclass\tmnemonic\tdir\tsize_log2\tsext\tsf\trt\trn\twb\timm\tisv\tiss(sas/sse/srt/sf/ar/wnr)\tref\n'
	paste -d'|' "$asm.words" "$spec" | tr '|' '\t'
} > corpus/vectors/insn.tsv
rm -f "$spec" "$asm" "$obj" "$asm.words"
echo "wrote corpus/vectors/insn.tsv ($(grep -vc '^#' corpus/vectors/insn.tsv) vectors)"
