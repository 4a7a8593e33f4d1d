{{%AUTOESCAPE context="HTML"}}<p class="meta">{{SERVICE}}</p>
<h1>{{t_transfer__title}} <bdi dir="ltr">{{TRACKING}}</bdi></h1>
{{#DONE}}<div class="notice" role="status"><p>{{DONE_TEXT}}</p></div>
<p><a href="{{QUEUE_HREF}}">{{t_case__back_queue}}</a></p>
{{/DONE}}{{#ASK}}<p class="lead">{{t_transfer__intro}}</p>
<dl class="contact">
<dt>{{t_transfer__from}}</dt><dd>{{FROM}}</dd>
{{#HAS_LOCATION}}<dt>{{t_transfer__location}}</dt><dd dir="auto">{{LOCATION}}</dd>
{{/HAS_LOCATION}}</dl>
{{#HAS_WHERE}}<p>{{WHERE}}</p>
{{/HAS_WHERE}}{{#CLOSED}}<p>{{t_transfer__closed}}</p>
{{/CLOSED}}{{>FORM}}
{{#HAS_CASE}}<p><a href="{{CASE_HREF}}">{{t_transfer__back}}</a></p>
{{/HAS_CASE}}{{/ASK}}
