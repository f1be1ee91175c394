"""The A-Z of waste items: which bin or service takes each item, with the council's advice."""

from __future__ import annotations

from dataclasses import dataclass, field

# Where an item goes. `hwrc` is the Household Waste Recycling Centre at Mill Road, Anytown.
BINS = {
    "general": "general waste (black bin)",
    "recycling": "recycling (blue bin)",
    "food": "food waste (green caddy)",
    "garden": "garden waste (brown bin)",
    "hwrc": "the Household Waste Recycling Centre (Mill Road)",
    "bulky": "a bulky waste collection",
    "textile_bank": "a textile bank or charity shop",
    "special": "a special arrangement (see the advice)",
}


@dataclass(frozen=True)
class WasteItem:
    name: str
    bin: str
    advice: str
    aliases: tuple[str, ...] = field(default=())


def _i(name: str, bin_: str, advice: str, *aliases: str) -> WasteItem:
    return WasteItem(name, bin_, advice, aliases)


A_TO_Z: tuple[WasteItem, ...] = (
    _i("aerosol can", "recycling", "Empty aerosols only. Do not pierce or crush.", "aerosol",
       "deodorant can", "spray can"),
    _i("aluminium foil", "recycling", "Clean foil only, scrunched into a ball.", "foil",
       "tin foil"),
    _i("asbestos", "special", "Not taken in any bin. Call a licensed asbestos contractor; the "
       "HWRC takes small amounts by appointment, double-wrapped."),
    _i("baby wipes", "general", "Never flush wipes: put them in the black bin.", "wet wipes",
       "wipes"),
    _i("batteries", "hwrc", "Never put batteries in a bin: they start fires in our lorries. "
       "Use the battery bank at the HWRC or a supermarket.", "battery", "aa batteries"),
    _i("bed frame", "bulky", "Book a bulky waste collection or take it to the HWRC.", "bed"),
    _i("bicycle", "hwrc", "Take it to the HWRC, or donate it to a bike recycling charity.",
       "bike"),
    _i("bread", "food", "All bread and baked goods go in the food caddy.", "toast", "crusts"),
    _i("brick", "hwrc", "Rubble goes to the HWRC (DIY waste charges apply).", "bricks"),
    _i("broken glass", "general", "Wrap it in newspaper and put it in the black bin; it is "
       "not recyclable.", "window glass", "drinking glass"),
    _i("cardboard", "recycling", "Flatten boxes. Large amounts can go to the HWRC.",
       "cardboard box", "boxes", "card"),
    _i("carpet", "bulky", "Book a bulky waste collection (rolled, up to 2 metres) or take it "
       "to the HWRC.", "rug"),
    _i("car parts", "hwrc", "Not collected from homes. The HWRC takes car batteries and engine "
       "oil; other parts go to a garage or scrap dealer.", "car battery", "exhaust"),
    _i("cat litter", "general", "Bag it and put it in the black bin.", "kitty litter",
       "dog poo", "pet waste"),
    _i("cereal box", "recycling", "Remove the plastic inner bag (that goes in the black bin).",
       "cereal boxes"),
    _i("chair", "bulky", "Book a bulky waste collection, or donate it if it is in good "
       "condition.", "chairs", "dining chair"),
    _i("clothes", "textile_bank", "Clean, bagged clothes go to a textile bank or charity shop.",
       "clothing", "shoes", "textiles"),
    _i("coffee grounds", "food", "Coffee grounds go in the food caddy.", "coffee"),
    _i("coffee cup", "general", "Takeaway cups are lined with plastic: black bin. The lid can "
       "be recycled.", "takeaway cup", "paper cup"),
    _i("cooking oil", "hwrc", "Small amounts soaked up with kitchen roll can go in the food "
       "caddy; larger amounts to the HWRC. Never pour it down the sink.", "oil", "fat"),
    _i("crisp packet", "general", "Crisp packets are not recyclable at home: black bin.",
       "crisps packet", "crisp bag"),
    _i("drinks can", "recycling", "Rinse and put in the blue bin.", "can", "cans", "beer can",
       "coke can"),
    _i("egg box", "recycling", "Cardboard egg boxes go in the blue bin.", "egg carton"),
    _i("eggshells", "food", "Eggshells go in the food caddy.", "egg shells", "eggs"),
    _i("electrical items", "hwrc", "Small electricals go to the HWRC or a shop take-back "
       "scheme, never in a bin.", "kettle", "toaster", "hairdryer", "small electricals"),
    _i("fridge", "bulky", "Book a bulky waste collection (gas removal charge applies) or take "
       "it to the HWRC.", "freezer", "fridge freezer"),
    _i("fruit peelings", "food", "All peelings go in the food caddy.", "banana skin",
       "orange peel", "peelings", "vegetable peelings"),
    _i("gas bottle", "special", "Return gas bottles to the supplier or a stockist; the HWRC "
       "does not take them.", "gas cylinder", "calor gas", "camping gas"),
    _i("glass bottle", "recycling", "Rinse bottles and jars; lids on.", "glass bottles",
       "wine bottle", "beer bottle"),
    _i("glass jar", "recycling", "Rinse jars and put the lids back on.", "jam jar", "jars"),
    _i("grass cuttings", "garden", "Brown bin if you subscribe; otherwise the HWRC.", "grass",
       "lawn cuttings"),
    _i("greetings card", "recycling", "Cards go in the blue bin unless they have glitter or "
       "batteries.", "birthday card", "christmas card"),
    _i("hedge trimmings", "garden", "Brown bin (branches up to 10cm thick) or the HWRC.",
       "hedge cuttings", "branches", "twigs"),
    _i("junk mail", "recycling", "Paper junk mail goes in the blue bin.", "leaflets", "flyers"),
    _i("kitchen roll", "food", "Used kitchen roll can go in the food caddy.", "paper towel",
       "tissues"),
    _i("leaves", "garden", "Brown bin if you subscribe; otherwise the HWRC.", "leaf"),
    _i("light bulb", "hwrc", "Energy-saving and LED bulbs go to the HWRC; old filament bulbs "
       "go in the black bin.", "light bulbs", "bulb", "led bulb"),
    _i("mattress", "bulky", "Book a bulky waste collection or take it to the HWRC.",
       "mattresses"),
    _i("meat", "food", "Raw and cooked meat and bones go in the food caddy.", "bones",
       "chicken bones", "fish"),
    _i("medicines", "special", "Return unused medicines to a pharmacy.", "medicine", "pills",
       "tablets"),
    _i("milk bottle", "recycling", "Plastic milk bottles: rinse, lids on.", "milk carton"),
    _i("mobile phone", "hwrc", "Take phones to the HWRC or a recycling scheme; wipe your data "
       "first.", "phone", "mobile"),
    _i("nappies", "general", "Bag nappies and put them in the black bin.", "nappy", "diapers"),
    _i("newspaper", "recycling", "Newspapers and magazines go in the blue bin.", "newspapers",
       "magazines", "paper"),
    _i("paint", "hwrc", "Take paint to the HWRC. Empty, dry tins can go in the blue bin; "
       "leftover usable paint can go to the community repaint scheme.", "paint tin",
       "paint tins"),
    _i("pizza box", "recycling", "Blue bin if it is not greasy; tear off greasy parts and put "
       "them in the black bin. No food left in it.", "pizza boxes"),
    _i("plant pots", "recycling", "Rigid plastic plant pots go in the blue bin; knock the soil "
       "out first.", "plant pot", "flower pot"),
    _i("plastic bag", "general", "Plastic bags are not recycled at home; many supermarkets take "
       "them back.", "carrier bag", "plastic bags", "bin bag"),
    _i("plastic bottle", "recycling", "Rinse, squash and put the lid back on.",
       "plastic bottles", "water bottle", "pop bottle"),
    _i("plastic film", "general", "Cling film and plastic wrapping: black bin.", "cling film",
       "clingfilm", "bubble wrap"),
    _i("plasterboard", "hwrc", "Plasterboard must go to the HWRC (DIY waste charges apply).",
       "plaster"),
    _i("polystyrene", "general", "Polystyrene is not recyclable at home: black bin, or large "
       "amounts to the HWRC.", "styrofoam"),
    _i("printer cartridge", "hwrc", "Return to the maker's free scheme or take to the HWRC.",
       "ink cartridge", "toner"),
    _i("rubble", "hwrc", "Building rubble is not collected from homes. Take it to the HWRC "
       "(DIY waste charges apply) or hire a skip.", "building rubble", "hardcore", "concrete"),
    _i("sanitary products", "general", "Bag them and use the black bin; never flush.",
       "tampons", "sanitary towels"),
    _i("shampoo bottle", "recycling", "Empty plastic toiletry bottles go in the blue bin; pumps "
       "go in the black bin.", "shower gel bottle", "bleach bottle"),
    _i("sofa", "bulky", "Book a bulky waste collection, or donate it if it has its fire "
       "safety label.", "settee", "couch", "sofa bed"),
    _i("soil", "hwrc", "Soil and turf go to the HWRC, not the brown bin.", "turf", "earth"),
    _i("tea bags", "food", "Tea bags go in the food caddy.", "teabags", "tea bag"),
    _i("television", "hwrc", "Take TVs to the HWRC or book a bulky waste collection.", "tv",
       "telly", "monitor"),
    _i("tin can", "recycling", "Rinse food tins and put them in the blue bin.", "tins",
       "food tin", "tin", "tins of food"),
    _i("toys", "general", "Donate toys in good condition. Broken plastic toys go in the black "
       "bin; electronic toys go to the HWRC.", "toy"),
    _i("tyres", "hwrc", "The HWRC takes up to 4 car tyres; otherwise a garage.", "tyre",
       "tire", "tires"),
    _i("vegetables", "food", "All raw or cooked vegetables go in the food caddy.", "veg",
       "potatoes", "salad"),
    _i("wardrobe", "bulky", "Book a bulky waste collection; please take it apart if you can.",
       "wardrobes"),
    _i("washing machine", "bulky", "Book a bulky waste collection, or ask the shop delivering "
       "your new one to take it back.", "washer", "tumble dryer", "dishwasher"),
    _i("wood", "hwrc", "Timber and wooden furniture parts go to the HWRC.", "timber",
       "wooden pallet", "pallet"),
    _i("yoghurt pot", "recycling", "Rinse pots, tubs and trays; they go in the blue bin.",
       "yogurt pot", "yoghurt pots", "margarine tub", "plastic tub", "food tray"),
    _i("cooker", "bulky", "Book a bulky waste collection or take it to the HWRC.", "oven"),
    _i("chest of drawers", "bulky", "Book a bulky waste collection, or donate it.", "drawers"),
    _i("table", "bulky", "Book a bulky waste collection, or donate it.", "dining table",
       "kitchen table"),
    _i("armchair", "bulky", "Book a bulky waste collection, or donate it if it has its fire "
       "safety label.", "recliner"),
    _i("garden furniture", "bulky", "Book a bulky waste collection or take it to the HWRC.",
       "patio set", "garden chair"),
    _i("lawnmower", "hwrc", "Drain fuel first and take it to the HWRC.", "lawn mower", "mower"),
    _i("engine oil", "hwrc", "The HWRC takes engine oil in sealed containers.", "motor oil"),
    _i("clinical waste", "special", "Never put needles or sharps in any household bin. Take a "
       "full sharps box back to the pharmacy that supplied it, or ask your GP or nurse to "
       "refer you for our free clinical waste collection.", "sharps", "needles", "syringes",
       "sharps box", "dressings"),
    _i("ashes", "general", "Cold ashes only, bagged, in the black bin.", "ash", "bbq ash"),
    _i("cut flowers", "garden", "Brown bin, or the food caddy if you do not subscribe.",
       "flowers"),
    _i("christmas tree", "garden", "Cut it up for the brown bin, or take it to the HWRC in "
       "January.", "xmas tree"),
    _i("wrapping paper", "recycling", "Paper that passes the scrunch test goes in the blue bin; "
       "foil or glitter paper goes in the black bin.", "gift wrap"),
    _i("juice carton", "recycling", "Rinse cartons (Tetra Pak) and put them in the blue bin.",
       "tetra pak", "carton"),
    _i("shredded paper", "recycling", "Put shredded paper in a paper bag in the blue bin.",
       "shredding"),
    _i("envelopes", "recycling", "Envelopes, with windows, go in the blue bin.", "envelope"),
    _i("toothpaste tube", "general", "Toothpaste tubes are not recyclable at home.",
       "toothbrush"),
    _i("vapes", "hwrc", "Vapes contain batteries: take them back to the shop or to the HWRC, "
       "never a bin.", "vape", "e-cigarette"),
    _i("duvet", "textile_bank", "Animal charities often take duvets and pillows; otherwise the "
       "black bin.", "pillow", "pillows", "bedding"),
    _i("shoe box", "recycling", "Flatten it and put it in the blue bin."),
    _i("dog food tin", "recycling", "Rinse pet food tins and put them in the blue bin.",
       "cat food tin", "pet food tin"),
    _i("leftovers", "food", "Plate scrapings and leftovers go in the food caddy.",
       "food waste", "food scraps", "plate scrapings"),
)

BY_NAME: dict[str, WasteItem] = {}
for _item in A_TO_Z:
    for _name in (_item.name, *_item.aliases):
        BY_NAME.setdefault(_name, _item)
