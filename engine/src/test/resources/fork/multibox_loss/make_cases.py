#!/usr/bin/python3
"""MultiBoxLoss's expected values, re-implemented in numpy from the SSD fork's definitions
(weiliu89/caffe, ssd branch: multibox_loss_layer.cpp and bbox_util.cpp's FindMatches,
MatchBBox, MineHardExamples, EncodeLocPrediction, EncodeConfPrediction, EncodeBBox).

Run: /usr/bin/python3 engine/src/test/resources/fork/multibox_loss/make_cases.py
It writes cases.json next to itself: for each case the layer's parameters (prototxt text), its
four bottoms (seeded random offsets and scores, fixed priors and boxes), the loss, and the
gradients the fork's backward gives the offsets and scores for a top diff of 1.
MultiBoxLossCasesTest runs them through Kaffee.
"""
import json
import pathlib

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
FLT_MIN = np.finfo(np.float32).tiny

# six priors (one crossing the image's edge), variances 0.1 0.1 0.2 0.2
PRIORS = np.array([[0.0, 0.0, 0.4, 0.4], [0.1, 0.1, 0.5, 0.5], [0.5, 0.5, 0.9, 0.9],
                   [0.55, 0.45, 0.95, 0.85], [-0.1, 0.6, 0.3, 1.0], [0.3, 0.0, 0.7, 0.3]])
VARIANCES = np.tile([0.1, 0.1, 0.2, 0.2], (6, 1))
# rows: item, label, instance, xmin, ymin, xmax, ymax, difficult
GT = np.array([[0, 1, 0, 0.05, 0.05, 0.45, 0.42, 0],
               [0, 2, 1, 0.52, 0.5, 0.92, 0.88, 0],
               [1, 2, 0, 0.0, 0.62, 0.28, 0.95, 0],
               [1, 1, 1, 0.32, 0.02, 0.68, 0.3, 1]])


def jaccard(a, b):
    if b[0] > a[2] or b[2] < a[0] or b[1] > a[3] or b[3] < a[1]:
        return 0.0
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def encode(code, in_target, prior, var, box):
    v = np.ones(4) if in_target else var
    pw, ph = prior[2] - prior[0], prior[3] - prior[1]
    if code == "CORNER":
        return (box - prior) / v
    if code == "CORNER_SIZE":
        return (box - prior) / np.array([pw, ph, pw, ph]) / v
    pcx, pcy = (prior[0] + prior[2]) / 2, (prior[1] + prior[3]) / 2
    bw, bh = box[2] - box[0], box[3] - box[1]
    bcx, bcy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return np.array([(bcx - pcx) / pw, (bcy - pcy) / ph, np.log(bw / pw), np.log(bh / ph)]) / v


def decode(code, in_target, prior, var, off):
    v = np.ones(4) if in_target else var
    pw, ph = prior[2] - prior[0], prior[3] - prior[1]
    if code == "CORNER":
        return prior + v * off
    if code == "CORNER_SIZE":
        return prior + v * off * np.array([pw, ph, pw, ph])
    cx = v[0] * off[0] * pw + (prior[0] + prior[2]) / 2
    cy = v[1] * off[1] * ph + (prior[1] + prior[3]) / 2
    w, h = np.exp(v[2] * off[2]) * pw, np.exp(v[3] * off[3]) * ph
    return np.array([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])


def match_bbox(gts, preds, label, p):
    """MatchBBox: indices into gts (-1 none, -2 ignored) and overlaps."""
    idx = [-1] * len(preds)
    ovl = [0.0] * len(preds)
    cand = [g for g in range(len(gts)) if label == -1 or gts[g]["label"] == label]
    if not cand:
        return idx, ovl
    pair = {}
    for i, pr in enumerate(preds):
        if p["ignore_cross_boundary_bbox"] and (np.any(pr < 0) or np.any(pr > 1)):
            idx[i] = -2
            continue
        for j, g in enumerate(cand):
            o = jaccard(pr, gts[g]["box"])
            if o > 1e-6:
                ovl[i] = max(ovl[i], o)
                pair[(i, j)] = o
    pool = list(range(len(cand)))
    while pool:
        best = (-1, -1, -1.0)
        for i in sorted({k[0] for k in pair}):
            if idx[i] != -1:
                continue
            for j in pool:
                if (i, j) in pair and pair[(i, j)] > best[2]:
                    best = (i, j, pair[(i, j)])
        if best[0] == -1:
            break
        idx[best[0]] = cand[best[1]]
        ovl[best[0]] = best[2]
        pool.remove(best[1])
    if p["match_type"] == "PER_PREDICTION":
        for i in sorted({k[0] for k in pair}):
            if idx[i] != -1:
                continue
            best = (-1, -1.0)
            for j in range(len(cand)):
                o = pair.get((i, j))
                if o is not None and o >= p["overlap_threshold"] and o > best[1]:
                    best = (j, o)
            if best[0] != -1:
                idx[i] = cand[best[0]]
                ovl[i] = best[1]
    return idx, ovl


def conf_loss_row(kind, x, target):
    if kind == "SOFTMAX":
        e = np.exp(x - x.max())
        prob = e / e.sum()
        grad = prob.copy()
        grad[int(target)] -= 1
        return -np.log(max(prob[int(target)], FLT_MIN)), grad
    pos = (x >= 0).astype(float)
    loss = -np.sum(x * (target - pos) - np.log(1 + np.exp(x - 2 * x * pos)))
    return loss, 1 / (1 + np.exp(-x)) - target


def loc_loss(kind, d):
    if kind == "L2":
        return 0.5 * d * d, d
    a = np.abs(d)
    return np.where(a < 1, 0.5 * d * d, a - 0.5), np.where(a < 1, d, np.sign(d))


def multibox(p, loc, conf, gt_rows):
    num, P, C = loc.shape[0], len(PRIORS), p["num_classes"]
    L = 1 if p["share_location"] else C
    loc = loc.reshape(num, P, L, 4)
    conf = conf.reshape(num, P, C)
    bg = p["background_label_id"]
    gts = {}
    for r in gt_rows:
        if r[0] == -1 or (not p["use_difficult_gt"] and r[7]):
            continue
        gts.setdefault(int(r[0]), []).append({"label": int(r[1]), "box": r[3:7]})
    code, vin = p["code_type"], p["encode_variance_in_target"]
    matches, overlaps = [], []
    for n in range(num):
        m, o = {}, {}
        if n in gts:
            if p["use_prior_for_matching"]:
                idx, ovl = match_bbox(gts[n], PRIORS, -1, p)
                if p["share_location"]:
                    m[-1], o[-1] = idx, ovl
                else:
                    for c in range(L):
                        if c != bg:
                            m[c] = [g if g > -1 and gts[n][g]["label"] == c else -1 for g in idx]
                            o[c] = list(ovl)
            else:
                for c in range(L):
                    label = -1 if p["share_location"] else c
                    if not p["share_location"] and label == bg:
                        continue
                    dec = [decode(code, vin, PRIORS[j], VARIANCES[j], loc[n, j, max(label, 0)]) for j in range(P)]
                    m[label], o[label] = match_bbox(gts[n], dec, label, p)
        matches.append(m)
        overlaps.append(o)

    def object_label(n, g):
        return bg + 1 if p["map_object_to_agnostic"] else gts[n][g]["label"]

    def loc_entries():
        out = []
        for n in range(num):
            for label in sorted(matches[n]):
                for j, g in enumerate(matches[n][label]):
                    if g <= -1:
                        continue
                    c = 0 if p["share_location"] else label
                    target = encode(code, vin, PRIORS[j], VARIANCES[j], gts[n][g]["box"])
                    pred = loc[n, j, c].copy()
                    if p["bp_inside"]:
                        mb = PRIORS[j] if p["use_prior_for_matching"] else decode(code, vin, PRIORS[j], VARIANCES[j], pred)
                        out_of = (mb < 0) | (mb > 1)
                        pred[out_of] = target[out_of]
                    if vin:
                        pred, target = pred / VARIANCES[j], target / VARIANCES[j]
                    out.append((n, j, c, pred, target))
        return out

    mining = p["mining_type"]
    negs = [[] for _ in range(num)]
    if mining != "NONE":
        entries = loc_entries()
        for n in range(num):
            if not matches[n]:
                continue
            idx, ovl = matches[n][-1], overlaps[n][-1]
            losses = []
            for j in range(P):
                label = object_label(n, idx[j]) if idx[j] > -1 else bg
                if p["conf_loss_type"] == "SOFTMAX":
                    t = label
                else:
                    t = np.zeros(C)
                    t[label] = 1
                losses.append(conf_loss_row(p["conf_loss_type"], conf[n, j], t)[0])
            if mining == "HARD_EXAMPLE":
                for (en, j, c, pred, target) in entries:
                    if en == n:
                        losses[j] += loc_loss(p["loc_loss_type"], pred - target)[0].sum()
                eligible = list(range(P))
                k = p["sample_size"]
            else:
                eligible = [j for j in range(P) if idx[j] == -1 and ovl[j] < p["neg_overlap"]]
                npos = sum(1 for j in range(P) if idx[j] > -1)
                k = int(np.float32(npos) * np.float32(p["neg_pos_ratio"]))
            ranked = sorted(eligible, key=lambda j: (-losses[j], j))[:k]
            for j in range(P):
                if idx[j] > -1 and mining == "HARD_EXAMPLE" and j not in ranked:
                    idx[j] = -1
                elif idx[j] == -1 and j in ranked:
                    negs[n].append(j)
    entries = loc_entries()
    num_matches = len(entries)
    # conf rows: (image, prior, target)
    rows = []
    for n in range(num):
        if mining == "NONE":
            start = len(rows)
            for j in range(P):
                rows.append([n, j, bg])
            for label in sorted(matches[n]):
                for j, g in enumerate(matches[n][label]):
                    if g > -1:
                        rows[start + j][2] = object_label(n, g)
        else:
            for label in sorted(matches[n]):
                for j, g in enumerate(matches[n][label]):
                    if g > -1:
                        rows.append([n, j, object_label(n, g)])
            for j in negs[n]:
                rows.append([n, j, bg if bg < C else None])
    norm_mode = p["normalization"]
    normalizer = max(1.0, {"FULL": num * P, "VALID": num_matches, "BATCH_SIZE": num, "NONE": 1}[norm_mode])
    loc_total, loc_grad = 0.0, np.zeros_like(loc)
    for (n, j, c, pred, target) in entries:
        value, slope = loc_loss(p["loc_loss_type"], pred - target)
        loc_total += value.sum()
        loc_grad[n, j, c] = p["loc_weight"] * slope / normalizer
    conf_total, conf_grad = 0.0, np.zeros_like(conf)
    for (n, j, label) in rows:
        if p["conf_loss_type"] == "SOFTMAX":
            t = label
        else:
            # the fork's caffe_set fills the targets with the background label's value
            t = np.full(C, float(bg))
            if label is not None and (mining != "NONE" or label != bg):
                t[label] = 1
        value, grad = conf_loss_row(p["conf_loss_type"], conf[n, j], t)
        conf_total += value
        conf_grad[n, j] = grad / normalizer
    loss = p["loc_weight"] * loc_total / normalizer + conf_total / normalizer
    return loss, loc_grad.ravel(), conf_grad.ravel(), matches, negs


DEFAULTS = {"num_classes": 3, "share_location": True, "match_type": "PER_PREDICTION", "overlap_threshold": 0.5,
            "use_prior_for_matching": True, "background_label_id": 0, "use_difficult_gt": True,
            "mining_type": "MAX_NEGATIVE", "neg_pos_ratio": 3.0, "neg_overlap": 0.5, "code_type": "CORNER",
            "encode_variance_in_target": False, "map_object_to_agnostic": False, "ignore_cross_boundary_bbox": False,
            "bp_inside": False, "sample_size": 64, "loc_loss_type": "SMOOTH_L1", "conf_loss_type": "SOFTMAX",
            "loc_weight": 1.0, "normalization": "VALID"}

CASES = {
    "defaults": {},
    "center_size_bipartite_no_mining_full": {"code_type": "CENTER_SIZE", "match_type": "BIPARTITE",
                                              "mining_type": "NONE", "normalization": "FULL", "loc_weight": 2.0},
    "logistic_l2_corner_size_batch": {"conf_loss_type": "LOGISTIC", "loc_loss_type": "L2",
                                      "code_type": "CORNER_SIZE", "normalization": "BATCH_SIZE", "neg_pos_ratio": 1.5},
    "logistic_no_mining": {"conf_loss_type": "LOGISTIC", "mining_type": "NONE", "overlap_threshold": 0.3},
    "per_class_locations": {"share_location": False, "mining_type": "NONE", "normalization": "NONE",
                            "overlap_threshold": 0.3},
    "matching_decoded_predictions": {"use_prior_for_matching": False, "code_type": "CENTER_SIZE",
                                     "overlap_threshold": 0.3},
    "hard_example": {"mining_type": "HARD_EXAMPLE", "sample_size": 4, "overlap_threshold": 0.3},
    "agnostic_no_difficult_cross_boundary": {"num_classes": 2, "map_object_to_agnostic": True,
                                             "use_difficult_gt": False, "ignore_cross_boundary_bbox": True,
                                             "neg_overlap": 0.3, "neg_pos_ratio": 2.0},
    "variance_in_target_bp_inside": {"encode_variance_in_target": True, "bp_inside": True, "code_type": "CENTER_SIZE",
                                     "overlap_threshold": 0.3},
}

ENUMS = {"match_type", "mining_type", "code_type", "loc_loss_type", "conf_loss_type"}


def prototxt(p):
    fields = []
    for k, v in p.items():
        if k == "normalization" or v == DEFAULTS[k] and k != "num_classes":
            continue
        fields.append(f"{k}: {v if k in ENUMS else str(v).lower()}")
    text = "type: 'MultiBoxLoss' multibox_loss_param { " + " ".join(fields) + " }"
    return text + f" loss_param {{ normalization: {p['normalization']} }}"


def main():
    rng = np.random.default_rng(1701)
    out = []
    for name, over in CASES.items():
        p = dict(DEFAULTS, **over)
        C = p["num_classes"]
        L = 1 if p["share_location"] else C
        gt = GT.copy()
        if not p["map_object_to_agnostic"]:
            gt[:, 1] = np.minimum(gt[:, 1], C - 1)
        loc = rng.normal(0, 0.6, (2, len(PRIORS) * L * 4))
        conf = rng.normal(0, 1.5, (2, len(PRIORS) * C))
        priors = np.concatenate([PRIORS.ravel(), VARIANCES.ravel()])
        loss, loc_grad, conf_grad, matches, negs = multibox(p, loc, conf, gt)
        out.append({"name": name, "layer": prototxt(p), "loc": loc.ravel().tolist(), "loc_shape": list(loc.shape),
                    "conf": conf.ravel().tolist(), "conf_shape": list(conf.shape), "priors": priors.tolist(),
                    "gt": gt.ravel().tolist(), "loss": loss, "loc_diff": loc_grad.tolist(),
                    "conf_diff": conf_grad.tolist()})
        print(name, loss, {n: {k: v for k, v in m.items()} for n, m in enumerate(matches)}, negs)
    (HERE / "cases.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
