#!/usr/bin/python3
"""Reference outputs of torchvision's image ops for tests/plugins/image/reference_test.cc.

Run with Debian's /usr/bin/python3 (python3-torchvision 0.14, torch 1.13, PIL):

    /usr/bin/python3 tools/refgen/image_refs.py [--photos ../shared/data/image/photos]

Each photo is shrunk with PIL (antialiased bilinear) to a small RGB input, stored as PNG; every
deterministic op is applied to it as a uint8 CHW tensor with torchvision.transforms.functional
and the result stored as PNG (lossless) or, for normalize, raw little-endian float32 (C, H, W).
cases.json lists each case: name, input, output, kernel and the parameters it was made with.
Everything stays small (a few hundred KB).
"""
import argparse
import json
import os

import numpy as np
import PIL.Image
import torch
import torch.nn.functional as nnf
import torchvision
import torchvision.transforms.functional as F
from torchvision.transforms import InterpolationMode as IM

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "image")


def save_png(t, name):
    a = t.permute(1, 2, 0).numpy()
    PIL.Image.fromarray(a[:, :, 0] if a.shape[2] == 1 else a).save(os.path.join(OUT, name))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", default=os.path.join(os.path.dirname(__file__), "..", "..", "..",
                                                     "shared", "data", "image", "photos"))
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    cases = []

    def case(name, inp, kernel, params, out):
        fname = name + (".f32" if out.dtype == torch.float32 else ".png")
        if out.dtype == torch.float32:
            out.contiguous().numpy().astype("<f4").tofile(os.path.join(OUT, fname))
        else:
            save_png(out, fname)
        cases.append({"name": name, "input": inp, "output": fname, "kernel": kernel,
                      "params": params})

    for photo, size in (("china.jpg", (96, 64)), ("flower.jpg", (96, 64))):
        stem = photo.split(".")[0]
        pil = PIL.Image.open(os.path.join(args.photos, photo)).convert("RGB")
        small = pil.resize(size, PIL.Image.BILINEAR)
        inp = stem + "_input.png"
        small.save(os.path.join(OUT, inp))
        x = torch.from_numpy(np.asarray(small).copy()).permute(2, 0, 1).contiguous()

        for interp, mode in (("nearest", IM.NEAREST), ("bilinear", IM.BILINEAR),
                             ("bicubic", IM.BICUBIC)):
            for (w, h) in ((61, 37), (120, 80)):
                for aa in ((False, True) if interp != "nearest" else (False,)):
                    out = F.resize(x, [h, w], interpolation=mode, antialias=aa)
                    case(f"{stem}_resize_{interp}_{w}x{h}{'_aa' if aa else ''}", inp, "resize",
                         {"width": w, "height": h, "interpolation": interp, "antialias": aa}, out)
        # area: torch's adaptive average pooling, at an integer factor
        out = nnf.interpolate(x[None].float(), size=(32, 48), mode="area")[0]
        case(f"{stem}_resize_area_48x32", inp, "resize",
             {"width": 48, "height": 32, "interpolation": "area", "antialias": False},
             out.round().clamp(0, 255).to(torch.uint8))
        # lanczos: torchvision has it for PIL images only (PIL's Lanczos-3, antialiased)
        out = F.pil_to_tensor(small.resize((61, 37), PIL.Image.LANCZOS))
        case(f"{stem}_resize_lanczos_61x37_aa", inp, "resize",
             {"width": 61, "height": 37, "interpolation": "lanczos", "antialias": True}, out)
        if stem != "china":
            continue
        for (w, h) in ((50, 40), (110, 70)):
            case(f"{stem}_center_crop_{w}x{h}", inp, "center_crop", {"width": w, "height": h},
                 F.center_crop(x, [h, w]))
        case(f"{stem}_hflip", inp, "flip", {"horizontal": True, "vertical": False}, F.hflip(x))
        case(f"{stem}_vflip", inp, "flip", {"horizontal": False, "vertical": True}, F.vflip(x))
        for interp, mode in (("nearest", IM.NEAREST), ("bilinear", IM.BILINEAR)):
            case(f"{stem}_rotate_30_{interp}", inp, "rotate",
                 {"angle": 30.0, "interpolation": interp, "fill": [10, 20, 30]},
                 F.rotate(x, 30.0, interpolation=mode, fill=[10, 20, 30]))
            case(f"{stem}_rotate_30_{interp}_expand", inp, "rotate",
                 {"angle": 30.0, "interpolation": interp, "fill": [10, 20, 30], "expand": True},
                 F.rotate(x, 30.0, interpolation=mode, fill=[10, 20, 30], expand=True))
            case(f"{stem}_affine_{interp}", inp, "affine",
                 {"angle": 15.0, "translate": [5, -3], "scale": 1.2, "shear": [10.0, 5.0],
                  "interpolation": interp, "fill": [0]},
                 F.affine(x, angle=15.0, translate=[5, -3], scale=1.2, shear=[10.0, 5.0],
                          interpolation=mode, fill=[0]))
        case(f"{stem}_grayscale", inp, "grayscale", {"channels": 1}, F.rgb_to_grayscale(x))
        case(f"{stem}_gaussian_blur_5x3", inp, "gaussian_blur",
             {"kernel_size": [5, 3], "sigma": 1.5}, F.gaussian_blur(x, [5, 3], [1.5, 1.5]))
        for f in (1.3, 0.6):
            case(f"{stem}_brightness_{f}", inp, "brightness", {"factor": f},
                 F.adjust_brightness(x, f))
        for f in (1.4, 0.5):
            case(f"{stem}_contrast_{f}", inp, "contrast", {"factor": f}, F.adjust_contrast(x, f))
        for f in (1.6, 0.3):
            case(f"{stem}_saturation_{f}", inp, "saturation", {"factor": f},
                 F.adjust_saturation(x, f))
        for f in (0.2, -0.35):
            case(f"{stem}_hue_{f}", inp, "hue", {"factor": f}, F.adjust_hue(x, f))
        mean, std = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
        case(f"{stem}_normalize", inp, "normalize", {"mean": mean, "std": std, "rows": 16},
             F.normalize(x[:, :16].float() / 255.0, mean, std))

    # Decoding: torchvision's libjpeg decode of a whole photo, a centred 64x64 window stored.
    data = torchvision.io.read_file(os.path.join(args.photos, "flower.jpg"))
    full = torchvision.io.decode_jpeg(data)
    save_png(F.center_crop(full, [64, 64]), "flower_decode_center64.png")
    cases.append({"name": "flower_decode", "input": "flower.jpg", "output":
                  "flower_decode_center64.png", "kernel": "decode", "params": {}})

    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"torchvision": torchvision.__version__, "torch": torch.__version__,
                   "cases": cases}, f, indent=1)
        f.write("\n")
    print(len(cases), "cases in", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
