#!/usr/bin/env python3
"""What python-plugwise 1.14.1 sends for each control, on each hub dump: the write tests' reference.

    /usr/bin/python3 scripts/capture-plugwise-writes.py [DUMP ...] [--src DIR] [--out DIR]

For every dump (default: every folder of test/fixtures/plugwise, else ../shared/fixtures/plugwise, that the
library connects to), the library reads the dump exactly as ../shared/reference/.../run_fixture.py does
(XML from memory, clock frozen at the library's own test time for that dump), then each control the
library has is called, the way Home Assistant calls it, for every entity that has it: its HTTP transport is
replaced by a recorder, so nothing is sent anywhere; each call gets a freshly read library (a call may
change the library's in-memory XML or its schedule states).

Writes test/fixtures/plugwise/writes/<dump>.json: the hub as the library sees it ("hub": name, our model,
vendor model, firmware, legacy, gateway id) and a list of
    {"action", "entity", "payload",            what our plugwise-control is given for the same control
     "call",                                   the library call, as Python text
     "requests": [{"method", "path", "body"}], what the library sent, in order (empty: it sent nothing)
     "error"}                                  the exception the library raised, or null

Debian's python3 packages only (python3-aiohttp python3-defusedxml python3-munch python3-packaging
python3-freezegun); run with /usr/bin/python3 when another python3 comes first on PATH.
"""

import argparse
import asyncio
import importlib.util
import json
import logging
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SRC = REPO.parent / "shared" / "reference" / "python-plugwise-1.14.1"
DUMPS = [REPO / "test" / "fixtures" / "plugwise", REPO.parent / "shared" / "fixtures" / "plugwise"]
DEFAULT_OUT = REPO / "test" / "fixtures" / "plugwise" / "writes"

# the library's smile name -> our hub model
MODELS = {"Adam": "adam", "Smile Anna": "anna", "Smile Anna P1": "anna", "Smile P1": "p1", "Stretch": "stretch"}


def load_harness(src):
    """run_fixture.py (the library's offline harness) as a module: its file map and test clocks."""
    spec = importlib.util.spec_from_file_location("run_fixture", src / "run_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def numbers(bounded):
    """Two values inside the entity's bounds at its resolution: a fraction (when the step allows) and a whole one."""
    low, high, step = bounded["lower_bound"], bounded["upper_bound"], bounded["resolution"]
    mid = math.floor((low + high) / 2)
    values = [mid + 0.5, float(mid + 1)] if step <= 0.5 else [float(mid), float(mid + 1)]
    return [v for v in values if low <= v <= high]


def controls(entities):
    """(our action, entity id, our payload, library call) for every control an entity has, as HA calls them."""
    out = []
    for eid, e in sorted(entities.items()):
        loc = e.get("location", eid) if e.get("dev_class") != "climate" else eid
        therm = e.get("thermostat") or {}
        if "setpoint" in therm:
            for v in numbers(therm):
                out.append(("setpoint", eid, v, ("set_temperature", loc, {"setpoint": v})))
        if "setpoint_low" in therm:
            for v in numbers(therm):
                out.append(("setpointLow", eid, v, ("set_temperature", loc, {"setpoint_low": v, "setpoint_high": therm["setpoint_high"]})))
                out.append(("setpointHigh", eid, v, ("set_temperature", loc, {"setpoint_low": therm["setpoint_low"], "setpoint_high": v})))
        for preset in e.get("preset_modes") or []:
            out.append(("preset", eid, preset, ("set_preset", loc, preset)))
        if "available_schedules" in e:
            for name in e["available_schedules"]:
                if name != "off":
                    out.append(("schedule", eid, name, ("set_select", "select_schedule", loc, name, "on")))
            out.append(("schedule", eid, "off", ("set_select", "select_schedule", loc, "off", "on")))
            out.append(("schedule", eid, False, ("set_schedule_state", loc, None, "off")))
            out.append(("schedule", eid, True, ("set_schedule_state", loc, None, "on")))
        switches = e.get("switches") or {}
        for key, action in (("relay", "relay"), ("lock", "lock"), ("dhw_cm_switch", "dhwComfortMode"), ("cooling_ena_switch", "coolingEnabled")):
            if key in switches:
                for state in (True, False):
                    out.append((action, eid, state, ("set_switch_state", eid, e.get("members"), key, "on" if state else "off")))
        for key, options, action in (
            ("select_regulation_mode", "regulation_modes", "regulationMode"),
            ("select_gateway_mode", "gateway_modes", "gatewayMode"),
            ("select_zone_profile", "zone_profiles", "zoneProfile"),
        ):
            if key in e:
                for option in e.get(options) or []:
                    out.append((action, eid, option, ("set_select", key, loc if key == "select_zone_profile" else eid, option, "on")))
        dhw_key = "select_dhw_mode" if "select_dhw_mode" in e else "dhw_mode" if "dhw_mode" in e else None
        if dhw_key is not None:
            for mode in e.get("dhw_modes") or []:
                out.append(("dhwMode", eid, mode, ("set_dhw_mode", dhw_key, eid, mode, len(e["dhw_modes"]))))
        for key, action in (("maximum_boiler_temperature", "maxBoilerTemperature"), ("max_dhw_temperature", "maxDhwTemperature"), ("temperature_offset", "temperatureOffset")):
            if key in e:
                for v in numbers(e[key]):
                    out.append((action, eid, v, ("set_number", eid, key, v)))
        if e.get("dev_class") == "gateway":
            out.append(("reboot", eid, True, ("reboot_gateway",)))
            out.append(("deleteNotification", eid, True, ("delete_notification",)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dumps", nargs="*", help="dump folder names (default: all)")
    ap.add_argument("--src", type=Path, default=DEFAULT_SRC, help="python-plugwise 1.14.1 with run_fixture.py")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()

    logging.disable(logging.WARNING)  # the library's own warnings about the dumps ("Zone ... is incomplete")
    harness = load_harness(args.src)
    plugwise = harness.import_plugwise(args.src)
    from freezegun import freeze_time

    def folder_of(name):
        for root in DUMPS:
            if (root / name / "core.domain_objects.xml").exists():
                return root / name
        raise SystemExit(f"no dump {name}")

    names = args.dumps or sorted({p.name for root in DUMPS if root.is_dir() for p in root.iterdir()
                                  if (p / "core.domain_objects.xml").exists() and not (p / "EXPECTED_ERROR.md").exists()})

    class RecordingSmile(plugwise.Smile):
        """GETs answered from the dump (as run_fixture.py does), every other request recorded, never sent."""

        async def _request(self, command, retry=3, method="get", data=None):
            if method != "get":
                self.sent.append({"method": method.upper(), "path": command, "body": data})
                return None
            result = self.texts.get(command, harness.NOT_FOUND)
            if not result or ("<error>" in result and "Not started" not in result):
                raise plugwise.exceptions.ResponseError
            return parse(result)

    from defusedxml import ElementTree as etree
    from plugwise.util import escape_illegal_xml_characters

    def parse(text):
        return etree.XML(escape_illegal_xml_characters(text).encode())

    async def fresh(texts, now):
        api = RecordingSmile(host="127.0.0.1", password="offline", websession=object())
        api.texts, api.sent = texts, []
        await api.connect()
        with freeze_time(now):
            data = await api.async_update()
        return api, data

    async def capture(name):
        folder = folder_of(name)
        now = harness.KNOWN[name][0]
        texts = harness.read_texts(folder)
        api, entities = await fresh(texts, now)
        smile = api.smile
        hub = {"name": smile.name, "model": MODELS[smile.name], "vendorModel": smile.model_id, "firmware": str(smile.version),
               "legacy": bool(smile.legacy), "gatewayId": api.gateway_id}
        records = []
        for action, eid, payload, (method, *call_args) in controls(entities):
            api, _ = await fresh(texts, now)
            api.sent = []
            error = None
            with freeze_time(now):  # set_gateway_mode's vacation start reads the machine's date
                try:
                    await getattr(api, method)(*call_args)
                except plugwise.exceptions.PlugwiseError as exc:
                    error = f"{type(exc).__name__}: {exc}"
            records.append({
                "action": action,
                "entity": eid,
                "payload": payload,
                "call": f"{method}({', '.join(json.dumps(a, ensure_ascii=False) for a in call_args)})",
                "requests": api.sent,
                "error": error,
            })
        return hub, records

    args.out.mkdir(parents=True, exist_ok=True)
    for name in names:
        hub, records = asyncio.run(capture(name))
        text = json.dumps({"dump": name, "frozenAt": harness.KNOWN[name][0], "hub": hub, "captures": records}, indent=1, ensure_ascii=False) + "\n"
        (args.out / f"{name}.json").write_text(text, encoding="utf-8")
        sent = sum(len(r["requests"]) for r in records)
        print(f"{name}: {len(records)} calls, {sent} requests")


if __name__ == "__main__":
    main()
