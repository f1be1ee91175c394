"""Rasa's NLU runs on a thread of its own, beside Rasa's event loop.

Rasa 3.6 parses a message with a blocking call on its one event loop, so while the encoders
run, nothing else in the process moves: no tracker store, policies, action calls or HTTP.
TensorFlow and the encoders release the GIL, so with NLU on its own thread the process
uses both cores. One thread: each NLU component is still used by one thread at a time
(Hugging Face's fast tokenizers and CRFsuite's tagger are not thread safe), and Rasa's lock
store still keeps one message per conversation in flight. `bot.rasa.launcher` installs it
for `rasa run` unless RASA_NLU_THREAD is false.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

_NLU = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlu")


def install() -> None:
    from rasa.core.processor import MessageProcessor
    from rasa.shared.core.trackers import DialogueStateTracker

    rasa_parse = MessageProcessor.parse_message
    if getattr(rasa_parse, "on_nlu_thread", False):
        return

    async def parse_message(self: MessageProcessor, message: Any, tracker: Any = None,
                            only_output_properties: bool = True) -> dict[str, Any]:
        if self.http_interpreter:  # NLU elsewhere: nothing blocks here
            return await rasa_parse(self, message, tracker, only_output_properties)
        if tracker is None:
            tracker = DialogueStateTracker.from_events(message.sender_id, [])
        parse_data = await asyncio.get_running_loop().run_in_executor(
            _NLU, self._parse_message_with_graph, message, tracker, only_output_properties)
        # What Rasa's own parse_message does after the graph (processor.py, 3.6).
        self._update_full_retrieval_intent(parse_data)
        self._check_for_unseen_features(parse_data)
        return parse_data

    parse_message.on_nlu_thread = True  # type: ignore[attr-defined]
    MessageProcessor.parse_message = parse_message  # type: ignore[method-assign]
