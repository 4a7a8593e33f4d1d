{{%AUTOESCAPE context="HTML"}}<p class="meta"><a href="{{SERVICE_HREF}}">{{SERVICE}}</a></p>
<h1>{{TITLE}}</h1>
{{#HAS_INTRO}}<p class="lead">{{INTRO}}</p>
{{/HAS_INTRO}}{{>ERRORS}}{{>FORM}}
<p><a href="{{BACK_HREF}}">{{BACK_LABEL}}</a></p>
