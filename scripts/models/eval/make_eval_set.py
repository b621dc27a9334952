"""Make the small labelled evaluation set in scripts/models/eval/ (photos, rendered text images, labels.json).

Run with the build venv (it needs scikit-image, whose data samples are the only free real photos a
package carries here):  .venv-build/bin/pip install scikit-image==0.26.0 pillow
                        .venv-build/bin/python scripts/models/eval/make_eval_set.py

- photos/: scikit-image sample photos under CC0 or in the public domain (licence per file in
  labels.json), re-encoded as JPEG (quality 90). None shows a watched product type: no free photo of
  medicine, weapons, toys, cosmetics, appliances or fashion was found in any package, so the product-type
  model can only be checked for false alarms here (said plainly in docs/models.md).
- rendered/: text the rules should find (or not), drawn with DejaVu Sans on plain cards and as stickers
  on the photos above; deterministic (same pixels every run).
- texts.jsonl: listing titles and descriptions with the rule kinds they contain.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import skimage
import skimage.data as skd
from PIL import Image, ImageDraw, ImageFont

HERE = Path(__file__).resolve().parent
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PHOTOS = {
    # name: (loader, licence as stated in scikit-image's data module, what it shows)
    "astronaut": (skd.astronaut, "public domain (NASA)", "an astronaut in a space suit"),
    "coffee": (skd.coffee, "CC0 (Rachel Michetti)", "a cup of coffee on a saucer"),
    "chelsea": (skd.chelsea, "CC0 (Stefan van der Walt)", "a cat"),
    "rocket": (skd.rocket, "public domain (SpaceX)", "a space rocket on its launch pad"),
    "camera": (skd.camera, "CC0 (Lav Varshney)", "a photographer with a camera on a tripod (greyscale)"),
    "clock": (skd.clock, "public domain (Stefan van der Walt)", "a wall clock, motion-blurred (greyscale)"),
    "coins": (skd.coins, "no known copyright restrictions", "ancient coins (greyscale)"),
    "horse": (skd.horse, "CC0 (Andreas Preuss)", "a horse silhouette (drawing)"),
    "hubble": (skd.hubble_deep_field, "public domain (NASA)", "galaxies (Hubble deep field)"),
    "retina": (skd.retina, "CC0", "a retina photograph (medical imaging)"),
}

CARDS: list[tuple[str, list[str], list[str]]] = [
    # (file stem, lines of text, rule kinds expected)
    ("whatsapp", ["Order on WhatsApp", "+86 138 0013 8000"], ["hidden_link"]),
    ("shop-url", ["Cheaper at", "www.cheap-meds.shop"], ["hidden_link"]),
    ("telegram", ["Telegram @replica_watches"], ["hidden_link"]),
    ("cure-diabetes", ["Cures diabetes", "in 30 days"], ["health_claim"]),
    ("miracle", ["Miracle cure", "no side effects"], ["health_claim"]),
    ("arthritis", ["Heals arthritis", "naturally"], ["health_claim"]),
    ("sildenafil", ["Sildenafil 100 mg", "no prescription needed"], ["prescription_substance"]),
    ("tramadol", ["Tramadol 50mg", "30 tablets"], ["prescription_substance"]),
    ("ozempic", ["Ozempic pen", "1 mg semaglutide"], ["prescription_substance"]),
    ("fat-burner", ["FAT BURNER", "60 capsules"], ["supplement_claim"]),
    ("test-booster", ["Testosterone booster"], ["supplement_claim"]),
    ("keto", ["Keto pills", "extra strong"], ["supplement_claim"]),
    ("rolex", ["Rolex Submariner", "AAA quality"], ["counterfeit_brand"]),
    ("lv-replica", ["Louis Vuitton", "replica bag"], ["counterfeit_brand"]),
    ("jordan", ["Air Jordan 1", "1:1 copy"], ["counterfeit_brand"]),
    ("ce-en71", ["CE certified", "EN 71 tested"], ["safety_mark"]),
    ("ukca", ["UKCA marked charger"], ["safety_mark"]),
    ("en60335", ["Heater EN 60335-2-30"], ["safety_mark"]),
    ("tshirt", ["Organic cotton T-shirt", "size M"], []),
    ("train", ["Wooden toy train", "for ages 3+"], []),
    ("bottle", ["Stainless steel bottle", "750 ml"], []),
    ("mug", ["Handmade ceramic mug"], []),
]
STICKERS = [  # text stuck on photos: (photo, card stem)
    ("coffee", "whatsapp"),
    ("chelsea", "sildenafil"),
    ("astronaut", "rolex"),
    ("clock", "ce-en71"),
    ("rocket", "train"),
]

TEXTS = [
    ("Herbal capsules that cure diabetes - no side effects!", ["health_claim"]),
    ("Sildenafil 100mg tablets, discreet shipping", ["prescription_substance"]),
    ("Weight loss: lose 10 kg in 14 days with our tea", ["health_claim"]),
    ("Rezeptfrei: Tadalafil 20 mg", ["prescription_substance"]),
    ("Clenbuterol for cutting, lab tested", ["prescription_substance"]),
    ("Natural fat burner, 120 capsules", ["supplement_claim"]),
    ("Vitamin D3 2000 IU 90 softgels", ["supplement_claim"]),
    ("Gucci Marmont bag, mirror quality", ["counterfeit_brand"]),
    ("Rolex Datejust 1:1 super copy", ["counterfeit_brand"]),
    ("Used Nike running shoes, size 42", ["counterfeit_brand"]),
    ("Magnetic building set, CE certified, EN 71", ["safety_mark"]),
    ("USB charger 65W UKCA marked", ["safety_mark"]),
    ("Contact me on WhatsApp +44 7700 900123 for a discount", ["hidden_link"]),
    ("Better price at bestdeals dot com", ["hidden_link"]),
    ("Message us: telegram @cheap_meds_eu", ["hidden_link"]),
    ("mail orders (at) toyshop dot de", ["hidden_link"]),
    ("Cotton T-shirt, organic, size M", []),
    ("Signal light with 3 modes, line of 20 LEDs", []),
    ("Children's book: a copy signed by the author", []),
    ("Our CEO recommends this desk lamp", []),
    ("Faux fur coat, fake fur, warm", []),
    ("Price 24.90 EUR, EAN 4006381333931, 120 pcs", []),
    ("Ceramic vase, 30 x 20 cm, made 2024-10-03", []),
    ("Replacement battery for a cordless drill", []),
]


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_BOLD if bold else FONT, size)


def card(lines: list[str], rng: random.Random) -> Image.Image:
    size = rng.choice([34, 40, 48])
    f = font(size, bold=rng.random() < 0.5)
    bg = rng.choice([(255, 255, 255), (250, 240, 200), (220, 235, 250), (240, 220, 225)])
    fg = rng.choice([(0, 0, 0), (30, 30, 90), (120, 20, 20)])
    widths = [f.getbbox(line)[2] for line in lines]
    w, h = max(widths) + 80, len(lines) * int(size * 1.5) + 60
    im = Image.new("RGB", (max(w, 400), max(h, 200)), bg)
    d = ImageDraw.Draw(im)
    d.rectangle((8, 8, im.width - 9, im.height - 9), outline=fg, width=3)
    for i, line in enumerate(lines):
        d.text((40, 30 + i * int(size * 1.5)), line, fill=fg, font=f)
    return im


def photo_rgb(name: str) -> Image.Image:
    arr = np.asarray(PHOTOS[name][0]())
    if arr.ndim == 2:
        arr = np.stack([arr] * 3, axis=-1)
    im = Image.fromarray(arr[..., :3].astype(np.uint8))
    if max(im.size) > 800:
        im.thumbnail((800, 800))
    return im


def main() -> None:
    rng = random.Random(2025)
    photos = HERE / "photos"
    rendered = HERE / "rendered"
    photos.mkdir(exist_ok=True)
    rendered.mkdir(exist_ok=True)
    labels: dict[str, object] = {
        "about": "Labels of the evaluation set; made by make_eval_set.py. 'category' is the product-type "
        "category a person would give the photo; 'rule_kinds' the text-rule kinds in its text.",
        "source": f"scikit-image {skimage.__version__} data samples",
        "images": [],
    }
    items: list[dict[str, object]] = []
    for name, (_, licence, shows) in PHOTOS.items():
        photo_rgb(name).save(photos / f"{name}.jpg", quality=90)
        items.append(
            {"file": f"photos/{name}.jpg", "shows": shows, "licence": licence, "category": "other",
             "adult": False, "rule_kinds": []}
        )
    cards = {stem: (lines, kinds) for stem, lines, kinds in CARDS}
    for stem, lines, kinds in CARDS:
        card(lines, rng).save(rendered / f"{stem}.jpg", quality=90)
        items.append({"file": f"rendered/{stem}.jpg", "shows": "a text card: " + " / ".join(lines),
                      "licence": "made by this project (Apache-2.0)", "category": None, "adult": False,
                      "rule_kinds": kinds})
    for photo, stem in STICKERS:
        base = photo_rgb(photo)
        sticker = card(cards[stem][0], rng)
        sticker.thumbnail((int(base.width * 0.8), int(base.height * 0.5)))
        base.paste(sticker, ((base.width - sticker.width) // 2, base.height - sticker.height - 10))
        base.save(rendered / f"{photo}-{stem}.jpg", quality=90)
        items.append({"file": f"rendered/{photo}-{stem}.jpg",
                      "shows": f"{PHOTOS[photo][2]} with a sticker: " + " / ".join(cards[stem][0]),
                      "licence": f"{PHOTOS[photo][1]}; sticker made by this project", "category": "other",
                      "adult": False, "rule_kinds": cards[stem][1]})
    labels["images"] = items
    (HERE / "labels.json").write_text(json.dumps(labels, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    with (HERE / "texts.jsonl").open("w", encoding="utf-8") as fh:
        for text, kinds in TEXTS:
            fh.write(json.dumps({"text": text, "rule_kinds": kinds}, ensure_ascii=False) + "\n")
    print(f"wrote {len(items)} images and {len(TEXTS)} texts under {HERE}")


if __name__ == "__main__":
    main()
