{{%AUTOESCAPE context="HTML"}}<h1>{{t_participation__admin__title}}</h1>
<p class="lead">{{t_participation__admin__intro}}</p>
<p><a href="{{PUBLIC_HREF}}">{{t_participation__admin__public}}</a></p>
<h2>{{t_participation__admin__processes}}</h2>
{{#NO_PROCESSES}}<p>{{t_participation__admin__no_processes}}</p>
{{/NO_PROCESSES}}<ul>
{{#PROCESS}}<li><a href="{{HREF}}">{{TITLE}}</a> · {{PHASE}}</li>
{{/PROCESS}}</ul>
<h2>{{t_participation__admin__create}}</h2>
{{>FORM}}
