{{%AUTOESCAPE context="HTML"}}<section aria-labelledby="peer-transfers-title">
<h2 id="peer-transfers-title">{{t_interop__transfer__panel}}</h2>
{{#OUT}}<p>{{t_interop__transfer__sent_to}} <code dir="ltr">{{PEER}}</code> (<code dir="ltr">{{URL}}</code>), {{AT}}: <strong>{{STATE}}</strong></p>
{{/OUT}}{{#IN}}<p>{{t_interop__transfer__received_from}} <code dir="ltr">{{PEER}}</code> (<code dir="ltr">{{URL}}</code>), {{AT}}. {{t_interop__transfer__their_tracking}} <code dir="ltr">{{THEIR_TRACKING}}</code></p>
<h3>{{t_interop__transfer__their_history}}</h3>
<ol class="history">
{{#EVENT}}<li><time datetime="{{WHEN_ISO}}">{{WHEN}}</time> · {{WHAT}} {{COMMENT}}</li>
{{/EVENT}}</ol>
{{/IN}}{{#CAN_SEND}}<p><a href="{{SEND_HREF}}">{{t_interop__transfer__send_link}}</a></p>
{{/CAN_SEND}}</section>
