{{%AUTOESCAPE context="HTML"}}<h1>{{HEADING}}</h1>
{{#HAS_INTRO}}<p class="lead">{{INTRO}}</p>
{{/HAS_INTRO}}{{>FORM}}
{{#LINK}}<p><a href="{{HREF}}">{{TEXT}}</a></p>
{{/LINK}}
